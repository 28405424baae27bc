import { signTwilioRequest } from '../../lambdas/adapters/twilio/signature';
import type { LocalRuntime } from '../../lambdas/local/runtime';
import { httpClient } from './api-client';
import { startTestRuntime } from './runtime-fixture';

let runtime: LocalRuntime;
let call: ReturnType<typeof httpClient>;
const SENDER = '+13055550120';

beforeAll(async () => {
  runtime = await startTestRuntime({ demoAgent: false, clockStart: new Date('2026-11-23T15:00:00Z') });
  call = httpClient(runtime.baseUrl);
  await call('POST', '/v1/agents', runtime.adminKey, {
    name: 'Dana Reyes',
    brokerage: 'Harbor Realty',
    senderNumber: SENDER,
    forwardTo: '+13055550199',
  });
}, 90_000);

afterAll(async () => {
  await runtime?.stop();
});

type PhoneAnswer = { webhook: { landed: string; attempts: Array<{ answer: number | string }> } };
const text = async (from: string, body: string) =>
  (await call('POST', '/local/phone/sms', undefined, { from, to: SENDER, body })).body as PhoneAnswer;
const replies = (phone: string) => runtime.twilio.inbox(phone);

describe('inbound texts on a Twilio that retries only as the URL asks', () => {
  it('loses a revocation that met one 5xx when the URL has no overrides and no Fallback URL (the old setup)', async () => {
    // prepare
    const phone = '+13055550161';
    const configured = { sms: `${runtime.baseUrl}/twilio/sms` };
    runtime.twilio.setWebhooks(configured);
    runtime.failWebhook('/twilio/sms', 1, '500');

    // act
    const answer = await text(phone, 'please stop texting me');
    await runtime.settle();

    // assess: Twilio tried once, and nobody ever learns of the revocation
    expect(answer.webhook).toMatchObject({ landed: 'lost', attempts: [{ answer: 500 }] });
    expect(await runtime.deps.stores.optouts.list(phone)).toEqual([]);
  });

  describe('with connection overrides and the Fallback URL', () => {
    beforeAll(() => {
      runtime.twilio.setWebhooks({
        sms: `${runtime.baseUrl}/twilio/sms#rc=3&rp=ct,rt,5xx&ct=3000&rt=4000&tt=15000`,
        smsFallback: `${runtime.baseUrl}/twilio/sms-fallback#rc=2&rp=ct,rt,5xx`,
      });
    });

    it('applies a revocation whose first delivery answered 5xx: Twilio retries it', async () => {
      // prepare
      const phone = '+13055550162';
      runtime.failWebhook('/twilio/sms', 1, '500');

      // act
      const answer = await text(phone, 'please stop texting me');
      await runtime.settle();

      // assess
      // (a slow attempt on a loaded machine may also meet the 4 s read timeout and be retried)
      expect(answer.webhook.landed).toBe('primary');
      expect(answer.webhook.attempts[0]?.answer).toBe(500);
      expect(answer.webhook.attempts.at(-1)?.answer).toBe(200);
      expect(await runtime.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect(replies(phone).filter((m) => /unsubscribed/.test(m.body))).toHaveLength(1);
    });

    it('captures through the Fallback URL what every primary attempt failed, and applies it once', async () => {
      // prepare
      const phone = '+13055550163';
      runtime.failWebhook('/twilio/sms', 4, '500');
      const before = runtime.fallbackCounts().applied;

      // act
      const answer = await text(phone, 'Remove me from your list');
      await runtime.settle();

      // assess
      expect(answer.webhook.landed).toBe('fallback');
      expect(answer.webhook.attempts.slice(0, 4).map((attempt) => attempt.answer)).toEqual([
        500, 500, 500, 500,
      ]);
      expect(answer.webhook.attempts.at(-1)?.answer).toBe(200);
      expect(runtime.fallbackCounts().applied - before).toBe(1);
      expect(await runtime.deps.stores.optouts.list(phone)).toEqual([
        expect.objectContaining({ source: 'revocation_phrase', words: 'Remove me from your list' }),
      ]);
      expect(replies(phone).filter((m) => /unsubscribed/.test(m.body))).toHaveLength(1);
    });

    it('drops and counts a fallback delivery whose signature does not verify: a forged STOP changes nothing', async () => {
      // prepare
      const phone = '+13055550164';
      const params = {
        MessageSid: `SM${'f'.repeat(32)}`,
        AccountSid: runtime.twilio.accountSid,
        From: phone,
        To: SENDER,
        Body: 'STOP',
      };
      const before = runtime.fallbackCounts().dropped;

      // act
      const response = await fetch(`${runtime.baseUrl}/twilio/sms-fallback`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioRequest({
            authToken: 'not-the-token',
            url: `${runtime.baseUrl}/twilio/sms-fallback`,
            params,
          }),
        },
        body: new URLSearchParams(params).toString(),
      });
      await runtime.settle();

      // assess
      expect(response.status).toBe(200);
      expect(runtime.fallbackCounts().dropped - before).toBe(1);
      expect(await runtime.deps.stores.optouts.list(phone)).toEqual([]);
    });

    it('answers HELP once: Twilio replies itself and ConsentLine sends nothing more', async () => {
      // prepare
      const phone = '+13055550165';

      // act
      await text(phone, 'HELP');
      await runtime.settle();

      // assess
      expect(replies(phone)).toEqual([expect.objectContaining({ origin: 'keyword' })]);
    });
  });
});
