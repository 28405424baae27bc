import { httpRoutes, routeKey, type HttpMethod } from '../../../../lambdas/handlers/routes';
import { bearer } from '../../../support/http-events';
import { httpFixture, randomPhone, type HttpFixture, type Reply } from './fixture';

let fx: HttpFixture;
beforeAll(async () => {
  fx = await httpFixture();
});

const getDocument = () => fx.request('openapi.get');

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document without a key', async () => {
    // act
    const reply = await getDocument();

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.1.0');
    expect(reply.body.servers).toEqual([{ url: 'https://api.test' }]);
  });

  it('documents exactly the routes the table serves', async () => {
    // prepare
    const served = httpRoutes.map((route) => routeKey(route));

    // act
    const reply = await getDocument();

    // assess
    const documented = Object.entries(reply.body.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => routeKey({ method: method.toUpperCase() as HttpMethod, path })),
    );
    expect(documented.sort()).toEqual(served.sort());
  });

  it('documents the auth each handler enforces: no key gets 401 exactly where a key is documented', async () => {
    // prepare
    const keyed = ['admin', 'agent', 'agent_or_admin'];
    const jsonRoutes = httpRoutes.filter((route) => route.auth !== 'twilio-signature');

    // act
    const answers = await Promise.all(
      jsonRoutes.map(async (route) => {
        // A body is sent where one is read: the wrapper refuses a missing one (415) before the key.
        const body = route.body === undefined ? {} : { body: {} };
        const reply = await fx.call(route.key, { method: route.method, path: route.path, ...body });
        return [route.key, reply.status === 401] as const;
      }),
    );

    // assess
    expect(answers).toEqual(jsonRoutes.map((route) => [route.key, keyed.includes(route.auth)]));
    expect(
      answers
        .filter(([, refused]) => !refused)
        .map(([key]) => key)
        .sort(),
    ).toEqual(['openapi.get', 'time.get']);
  });

  it('names each operation by its route key', async () => {
    // act
    const reply = await getDocument();

    // assess
    const operationIds = Object.values(
      reply.body.paths as Record<string, Record<string, { operationId: string }>>,
    )
      .flatMap((ops) => Object.values(ops).map((op) => op.operationId))
      .sort();
    const expected = httpRoutes
      .map((route) => route.key.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase()))
      .sort();
    expect(operationIds).toEqual(expected);
  });

  it('documents the Twilio webhooks as signed forms answered with TwiML', async () => {
    // act
    const reply = await getDocument();

    // assess
    expect(reply.body.components.securitySchemes.twilioSignature).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Twilio-Signature' }),
    );
    const sms = reply.body.paths['/twilio/sms'].post;
    expect(sms.security).toEqual([{ twilioSignature: [] }]);
    const form = sms.requestBody.content['application/x-www-form-urlencoded'].schema;
    expect(form.required.sort()).toEqual(['Body', 'From', 'MessageSid', 'To']);
    expect(form.additionalProperties).not.toBe(false);
    expect(Object.keys(sms.responses[200].content)).toEqual(['text/xml']);
    expect(Object.keys(sms.responses[403].content)).toEqual(['text/plain']);
  });

  it('shows request bodies as strict objects with their required fields', async () => {
    // act
    const reply = await getDocument();

    // assess
    const createAgent = reply.body.paths['/v1/agents'].post;
    const schema = createAgent.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema.required.sort()).toEqual(['brokerage', 'forwardTo', 'name', 'senderNumber']);
    expect(createAgent.security).toEqual([{ bearer: [] }]);
  });

  it('lists path and query parameters', async () => {
    // act
    const reply = await getDocument();

    // assess
    expect(reply.body.paths['/v1/contacts/{phone}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'phone', in: 'path', required: true }),
    ]);
    expect(reply.body.paths['/v1/ledger/verify'].get.parameters).toEqual([
      expect.objectContaining({ name: 'phone', in: 'query', required: true }),
    ]);
  });
});

describe('documented response schemas', () => {
  const expectDocumented = (handler: string, reply: Reply) => {
    const schema = httpRoutes.find((route) => route.key === handler)?.responses[reply.status]?.schema;
    expect(schema).toBeDefined();
    expect(schema?.safeParse(reply.body).error?.issues).toBeUndefined();
  };

  it('describe what the handlers actually return', async () => {
    // prepare
    const agent = await fx.newAgent();
    const headers = bearer(agent.apiKey);
    const phone = randomPhone();
    const pathParameters = { phone };
    const consent = {
      type: 'express_written',
      method: 'text_reply',
      at: '2026-03-01T10:00:00Z',
      capturedBy: 'sms',
      evidence: 'YES',
    };
    await fx.deps.stores.optouts.record(
      { phone, at: '2026-03-02T10:00:00Z', source: 'keyword', words: 'STOP' },
      '2026-03-02T10:00:00Z',
    );

    // act
    const replies: Array<[string, Reply]> = [
      [
        'contacts.put',
        await fx.request('contacts.put', { pathParameters, headers, body: { name: 'Sam', state: 'TX' } }),
      ],
      ['consent.append', await fx.request('consent.append', { pathParameters, headers, body: consent })],
      ['contacts.get', await fx.request('contacts.get', { pathParameters, headers })],
      ['consent.history', await fx.request('consent.history', { pathParameters, headers })],
      [
        'imports.create',
        await fx.request('imports.create', {
          headers,
          body: { rows: [{ phone: randomPhone() }, { phone: 'x' }] },
        }),
      ],
      ['ledger.verify', await fx.request('ledger.verify', { query: { phone }, headers })],
      [
        'messages.create',
        await fx.request('messages.create', {
          headers,
          body: { to: randomPhone(), body: 'Open house Saturday at 2pm.' },
        }),
      ],
      [
        'agents.suspend',
        await fx.request('agents.suspend', {
          pathParameters: { agentId: agent.agentId },
          apiKey: fx.adminKey,
          body: { reason: 'complaint under review' },
        }),
      ],
      [
        'contacts.get',
        await fx.request('contacts.get', { pathParameters: { phone: randomPhone() }, headers }),
      ],
    ];

    // assess
    expect(replies.map(([, reply]) => reply.status)).toEqual([201, 201, 200, 200, 200, 200, 202, 200, 403]);
    for (const [handler, reply] of replies) expectDocumented(handler, reply);
  });
});
