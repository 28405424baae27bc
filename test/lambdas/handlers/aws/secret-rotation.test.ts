import { setTimeout as sleep } from 'node:timers/promises';
import { signTwilioRequest } from '../../../../lambdas/adapters/twilio/signature';
import { lambdaEntry, type BaseDeps } from '../../../../lambdas/handlers/aws/deps';
import { httpHandlers } from '../../../../lambdas/handlers/routes';
import { adminKeyHmac, newAdminKey, newPepper } from '../../../../lambdas/usecases/admin-key';
import { apiEvent, bearer, lambdaContext } from '../../../support/http-events';
import { startSecretsManagerStandIn } from '../../../support/secrets-manager-standin';
import { httpFixture, type HttpFixture } from '../http/fixture';

// The production entry with a cache age of one second instead of 300, against a Secrets Manager
// stand-in: a rotation must reach a warm function once the age has passed, not before.
const MAX_AGE_SECONDS = 1;
const PUBLIC_BASE_URL = 'https://edge.consentline.test';
const ACCOUNT_SID = `AC${'2'.repeat(32)}`;

let fx: HttpFixture;
let secrets: Awaited<ReturnType<typeof startSecretsManagerStandIn>>;
const pepper = newPepper();

beforeAll(async () => {
  fx = await httpFixture();
});
beforeEach(async () => {
  secrets = await startSecretsManagerStandIn({ pepper: JSON.stringify({ pepper }) });
});
afterEach(() => secrets.stop());

const env = (ids: Record<string, string>) => ({
  PUBLIC_BASE_URL,
  SECRET_MAX_AGE_SECONDS: String(MAX_AGE_SECONDS),
  ...ids,
});
const base = (): BaseDeps => ({
  clock: fx.deps.clock,
  stores: fx.deps.stores,
  queue: fx.deps.queue,
  scheduler: fx.deps.scheduler,
});
const entry = (key: string, ids: Record<string, string>) =>
  lambdaEntry(httpHandlers[key]!, { env: env(ids), secretsClient: secrets.client, base });

const putAdminKey = (key: string) =>
  secrets.put('admin', JSON.stringify({ adminKeyHmac: adminKeyHmac(key, pepper) }));
const putTwilioToken = (authToken: string) =>
  secrets.put('twilio', JSON.stringify({ accountSid: ACCOUNT_SID, authToken }));
/** Where the key-events entry reads the admin key's HMAC and the pepper from. */
const ADMIN_SECRETS = { ADMIN_SECRET_ARN: 'admin', ADMIN_PEPPER_SECRET_ARN: 'pepper' };
/** A fresh admin key, stored in its secret, and the key-events entry that reads it. */
const adminKeyEntry = () => {
  const key = newAdminKey();
  putAdminKey(key);
  return { key, handler: entry('agents.key-events', ADMIN_SECRETS) };
};
const pastTheAge = () => sleep(MAX_AGE_SECONDS * 1000 + 200);

describe('secrets read through a cache with a maximum age', () => {
  const adminCall = async (handler: ReturnType<typeof entry>, key: string) =>
    (
      await handler(
        apiEvent({
          method: 'GET',
          path: '/v1/agents/{agentId}/keys/events',
          pathParameters: { agentId: 'agt_nobody' },
          headers: bearer(key),
        }),
        lambdaContext(),
      )
    ).statusCode;

  it('stops accepting a rotated admin key once the cache age has passed, and accepts the new one', async () => {
    // prepare
    const [oldKey, newKey] = [newAdminKey(), newAdminKey()];
    putAdminKey(oldKey);
    const handler = entry('agents.key-events', ADMIN_SECRETS);
    const beforeRotation = await adminCall(handler, oldKey);

    // act
    putAdminKey(newKey);
    const withinTheAge = [await adminCall(handler, oldKey), await adminCall(handler, newKey)];
    await pastTheAge();
    const afterTheAge = [await adminCall(handler, oldKey), await adminCall(handler, newKey)];

    // assess: 404 = authenticated as admin (no such agent); 401 = not the admin key
    expect(beforeRotation).toBe(404);
    expect(withinTheAge).toEqual([404, 401]);
    expect(afterTheAge).toEqual([401, 404]);
  });

  it('stops accepting webhooks signed with a rotated Twilio token once the cache age has passed', async () => {
    // prepare
    const [oldToken, newToken] = ['old-twilio-token-0001', 'new-twilio-token-0002'];
    putTwilioToken(oldToken);
    const handler = entry('twilio.voice', { TWILIO_SECRET_ARN: 'twilio' });
    const call = async (authToken: string) => {
      const params = {
        CallSid: `CA${'3'.repeat(32)}`,
        To: '+12125550100',
        From: '+12125550101',
        AccountSid: ACCOUNT_SID,
      };
      const signature = signTwilioRequest({ authToken, url: `${PUBLIC_BASE_URL}/twilio/voice`, params });
      const event = apiEvent({
        method: 'POST',
        path: '/twilio/voice',
        rawBody: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      });
      return (await handler(event, lambdaContext())).statusCode;
    };
    const beforeRotation = await call(oldToken);

    // act
    putTwilioToken(newToken);
    const withinTheAge = await call(oldToken);
    await pastTheAge();
    const afterTheAge = [await call(oldToken), await call(newToken)];

    // assess
    expect(beforeRotation).toBe(200);
    expect(withinTheAge).toBe(200);
    expect(afterTheAge).toEqual([403, 200]);
  });

  it('reads the secret once per age, not once per invocation', async () => {
    // prepare
    const { key, handler } = adminKeyEntry();

    // act
    for (let call = 0; call < 5; call++) await adminCall(handler, key);

    // assess: the admin secret and its pepper, once each
    expect(secrets.reads()).toBe(2);
  });

  it('never keeps a failed read: the next invocation reads again and succeeds', async () => {
    // prepare
    const { key, handler } = adminKeyEntry();
    secrets.failNext(2);

    // act
    const first = adminCall(handler, key);
    await first.catch(() => undefined);
    const second = await adminCall(handler, key);

    // assess
    await expect(first).rejects.toThrow();
    expect(second).toBe(404);
  });

  it('gives a function without the admin secrets no way to accept the admin key', async () => {
    // prepare
    const key = newAdminKey();
    putAdminKey(key);
    const handler = entry('agents.key-events', {});

    // act
    const status = await adminCall(handler, key);

    // assess
    expect(status).toBe(401);
    expect(secrets.reads()).toBe(0);
  });
});
