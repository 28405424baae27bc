import type { LocalRuntime } from '../../../lambdas/local/runtime';
import { startTestRuntime } from '../../e2e/runtime-fixture';

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: new Date('2026-03-10T15:00:00.000Z') });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

const putContact = (body: string, contentType = 'application/json') =>
  fetch(`${runtime.baseUrl}/v1/contacts/%2B12125550111`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${runtime.demo!.apiKey}`, 'content-type': contentType },
    body,
  });

describe('the local runtime over HTTP', () => {
  it.each([
    ['2 MB', 2 * 1024 * 1024],
    ['20 MB (over API Gateway’s 10 MB)', 20 * 1024 * 1024],
  ])('answers a %s body with a JSON 413, never a 500', async (_label, size) => {
    // act
    const response = await putContact(`{"notes":"${'x'.repeat(size)}"}`);

    // assess
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('answers 415 for a JSON body sent as text/plain and stores nothing', async () => {
    // act
    const response = await putContact('{"name":"Sam"}', 'text/plain');

    // assess
    expect(response.status).toBe(415);
    expect(await runtime.deps.stores.contacts.get(runtime.demo!.agentId, '+12125550111')).toBeUndefined();
  });
});
