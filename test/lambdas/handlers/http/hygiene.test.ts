import { openApiDocument } from '../../../../lambdas/handlers/http/openapi';
import type { ReleaseScheduler, SendQueue } from '../../../../lambdas/ports';
import { httpHandlers, httpRoutes } from '../../../../lambdas/handlers/routes';
import { apiEvent, bearer, lambdaContext } from '../../../support/http-events';
import { httpFixture, randomPhone, type HttpFixture } from './fixture';
import { queueOneByOne } from '../../../../lambdas/adapters/sqs/queue-one-by-one';

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
const enqueued: Parameters<SendQueue['enqueue']>[0][] = [];

beforeAll(async () => {
  fx = await httpFixture();
  fx.deps.queue = queueOneByOne(async (message) => void enqueued.push(message));
  fx.deps.scheduler = {
    scheduleRelease: async (_release: Parameters<ReleaseScheduler['scheduleRelease']>[0]) => {},
  };
  agent = await fx.newAgent();
});

const putContact = (
  phone: string,
  opts: { rawBody?: string; body?: unknown; headers?: Record<string, string> },
) =>
  fx.request('contacts.put', {
    pathParameters: { phone },
    ...opts,
    headers: { ...bearer(agent.apiKey), ...opts.headers },
  });

describe('content types on JSON routes', () => {
  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form encoding', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['an empty content type', { 'content-type': '' }],
    ['a JSON-looking type that is not JSON', { 'content-type': 'application/jsonp' }],
  ])('answers 415 for %s and stores nothing', async (_label, headers) => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await putContact(phone, { rawBody: '{"name":"Sam"}', headers });

    // assess
    expect(reply.status).toBe(415);
    expect(reply.body).toMatchObject({ error: 'unsupported_media_type' });
    expect(reply.body.message).toContain('application/json');
    expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
  });

  it('answers 415 when a JSON body comes with no content type at all', async () => {
    // prepare
    const phone = randomPhone();
    const event = apiEvent({
      method: 'PUT',
      path: '/v1/contacts/{phone}',
      pathParameters: { phone },
      headers: bearer(agent.apiKey),
      rawBody: '{"name":"Sam"}',
    });
    delete event.headers['content-type'];

    // act
    const reply = await httpHandlers['contacts.put']!(fx.deps)(event, lambdaContext());

    // assess
    expect(reply.statusCode).toBe(415);
    expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
  });

  it('accepts application/json in any case with a charset', async () => {
    // act
    const reply = await putContact(randomPhone(), {
      rawBody: '{"name":"Sam"}',
      headers: { 'content-type': 'Application/JSON; charset=UTF-8' },
    });

    // assess
    expect(reply.status).toBe(201);
  });
});

describe('control characters', () => {
  it.each([
    ['NUL', 'Sam\u0000Ortiz'],
    ['BEL', 'Sam\u0007'],
    ['the right-to-left override', 'Sam \u202Egpj.exe'],
    ['a bidi isolate', '\u2066Sam\u2069'],
    ['DEL', 'Sam\u007F'],
    ['a C1 control', 'Sam\u0085'],
    ['a line break in a name', 'Sam\nOrtiz'],
    ['a tab in a name', 'Sam\tOrtiz'],
  ])('answers 422 naming the field for %s in a contact name, and stores nothing', async (_label, name) => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await putContact(phone, { body: { name } });

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ error: 'control_character' });
    expect(reply.body.message).toMatch(/^body\.name: contains the control character U\+[0-9A-F]{4}/);
    expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
  });

  it('keeps line breaks and tabs in notes, and refuses BEL there', async () => {
    // act
    const ok = await putContact(randomPhone(), { body: { notes: 'line one\nline two\tindented' } });
    const bel = await putContact(randomPhone(), { body: { notes: 'ring\u0007' } });

    // assess
    expect(ok.status).toBe(201);
    expect(bel.status).toBe(422);
    expect(bel.body.message).toMatch(/^body\.notes: /);
  });

  it('names the row and field of an import', async () => {
    // act
    const reply = await fx.request('imports.create', {
      apiKey: agent.apiKey,
      body: {
        rows: [
          { phone: randomPhone(), name: 'ok' },
          { phone: randomPhone(), address: '1 Main\u0000St' },
        ],
      },
    });

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body.message).toMatch(/^body\.rows\.1\.address: /);
  });

  it('allows a line break and a tab in a message body but not NUL, and queues nothing then', async () => {
    // prepare
    const to = randomPhone();
    const before = enqueued.length;

    // act
    const nul = await fx.request('messages.create', {
      apiKey: agent.apiKey,
      body: { to, body: 'Hi\u0000 there' },
    });
    const lines = await fx.request('messages.create', {
      apiKey: agent.apiKey,
      body: { to, body: 'Hi Sam,\n\tthe open house is at 2.' },
    });

    // assess
    expect(nul.status).toBe(422);
    expect(nul.body.message).toMatch(/^body\.body: contains the control character U\+0000/);
    expect(lines.status).not.toBe(422);
    expect(lines.status).toBeLessThan(500);
    expect(enqueued.length - before).toBeLessThanOrEqual(1);
  });

  it('refuses a control character in a query', async () => {
    // act
    const reply = await fx.request('contacts.list', { query: { q: 'Sam\u0000' }, apiKey: agent.apiKey });

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body.message).toMatch(/^query\.q: /);
  });
});

describe('oversize bodies', () => {
  it.each([
    ['300 KiB', 300 * 1024],
    ['2 MB', 2 * 1024 * 1024],
    ['20 MB', 20 * 1024 * 1024],
  ])('answers 413 for %s, never a 5xx', async (_label, size) => {
    // act
    const reply = await putContact(randomPhone(), { rawBody: `{"notes":"${'x'.repeat(size)}"}` });

    // assess
    expect(reply.status).toBe(413);
    expect(reply.body.error).toBe('payload_too_large');
  });
});

describe('OpenAPI', () => {
  it('documents 413 and 415 on every route', () => {
    // act
    const paths = openApiDocument(httpRoutes).paths as Record<string, Record<string, { responses: object }>>;

    // assess
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const status of ['413', '415'])
          if (!(status in op.responses)) missing.push(`${method} ${path} ${status}`);
      }
    }
    expect(Object.keys(paths).length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});
