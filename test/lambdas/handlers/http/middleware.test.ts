import * as z from 'zod';
import { httpHandler, HttpError } from '../../../../lambdas/handlers/http/middleware';
import { ConflictError } from '../../../../lambdas/ports';
import type { Deps } from '../../../../lambdas/usecases/deps';
import { apiEvent, lambdaContext, type ApiEventOptions } from '../../../support/http-events';

// Routes with auth 'none' touch no store, so the wrapper can be tested without a table.
const deps = { config: {} } as unknown as Deps;

const invoke = async (handler: ReturnType<typeof httpHandler>, event: Partial<ApiEventOptions> = {}) => {
  const result = await handler(apiEvent({ method: 'POST', path: '/test', ...event }), lambdaContext());
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: result.body ? JSON.parse(result.body) : undefined,
  };
};

function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }),
  );
  return { text: () => chunks.join(''), restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

describe('httpHandler', () => {
  it('answers a generic 500 for an unexpected error and logs the error itself', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none' }, async () => {
      throw new Error('secret table name t-prod-ledger');
    });
    const output = captureOutput();

    // act
    const reply = await invoke(handler).finally(() => output.restore());

    // assess
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ error: 'internal_error', message: expect.any(String) });
    expect(JSON.stringify(reply.body)).not.toContain('t-prod-ledger');
    expect(output.text()).toContain('t-prod-ledger');
  });

  it('maps an HttpError to its status, code and details', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none' }, async () => {
      throw new HttpError(422, 'not_consent', 'method: no', { reason: 'no' });
    });

    // act
    const reply = await invoke(handler);

    // assess
    expect(reply).toMatchObject({
      status: 422,
      body: { error: 'not_consent', message: 'method: no', reason: 'no' },
    });
  });

  it('maps a ConflictError from a store to 409', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none' }, async () => {
      throw new ConflictError('taken');
    });

    // act
    const reply = await invoke(handler);

    // assess
    expect(reply.status).toBe(409);
  });

  it('serialises the reply as JSON with a content type and no caching', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none' }, async () => ({ status: 201, body: { ok: true } }));

    // act
    const reply = await invoke(handler);

    // assess
    expect(reply.status).toBe(201);
    expect(reply.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    expect(reply.body).toEqual({ ok: true });
  });

  it('refuses a body one byte over the limit, counting bytes rather than characters', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none', maxBodyBytes: 10, body: z.string() }, async () => ({
      status: 200,
    }));

    // act
    const atLimit = await invoke(handler, { rawBody: '"12345678"' });
    const multiByte = await invoke(handler, { rawBody: '"éééé1"' }); // 7 characters, 11 bytes

    // assess
    expect(atLimit.status).toBe(200);
    expect(multiByte.status).toBe(413);
    expect(multiByte.body.message).toBe('body is 11 bytes; the limit is 10 bytes');
  });

  it('names every invalid field, and counts those left out of the message', async () => {
    // prepare
    const schema = z.strictObject(Object.fromEntries('abcdefg'.split('').map((key) => [key, z.number()])));
    const handler = httpHandler(deps, { auth: 'none', body: schema }, async () => ({ status: 200 }));

    // act
    const reply = await invoke(handler, { body: {} });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.issues).toHaveLength(7);
    expect(reply.body.message).toBe(
      'body.a: is required; body.b: is required; body.c: is required; body.d: is required; body.e: is required (and 2 more)',
    );
  });

  it('answers 400 when a body is required and none was sent', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none', body: z.object({}) }, async () => ({ status: 200 }));

    // act
    const reply = await invoke(handler, { headers: { 'content-type': 'application/json' } });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body: /);
  });

  it('answers 415 when a JSON route gets no body and no content type', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none', body: z.object({}) }, async () => ({ status: 200 }));

    // act
    const reply = await invoke(handler);

    // assess
    expect(reply.status).toBe(415);
  });

  it('answers 415 when a route without a JSON body is sent a body of another type', async () => {
    // prepare
    const handler = httpHandler(deps, { auth: 'none' }, async () => ({ status: 200 }));

    // act
    const plain = await invoke(handler, { rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    const none = await invoke(handler);

    // assess
    expect(plain.status).toBe(415);
    expect(none.status).toBe(200);
  });
});
