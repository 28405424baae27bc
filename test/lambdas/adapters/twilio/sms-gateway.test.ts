import { createServer } from 'node:http';
import { twilioSmsGateway } from '../../../../lambdas/adapters/twilio/sms-gateway';
import { listen } from '../../../support/servers';
import { useTwilioStandIn } from '../../../support/twilio-standin';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'stand-in-token';
const now = new Date('2026-03-02T15:00:00.000Z');
const agentNumber = '+15005550006';

const twilio = useTwilioStandIn({ accountSid, authToken, clock: { now: () => now } });

const gateway = (overrides: { authToken?: string; timeoutMs?: number } = {}) =>
  twilioSmsGateway({ accountSid, authToken, baseUrl: twilio.url, ...overrides });

describe('twilioSmsGateway', () => {
  it('returns the message sid when Twilio accepts the message, and the contact receives it', async () => {
    // prepare
    const to = '+15551230001';
    // act
    const result = await gateway().send({
      from: agentNumber,
      to,
      body: 'Hi Ann, Bob from Acme Realty here.',
    });
    // assess
    expect(result).toEqual({ ok: true, sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'queued' });
    const sid = result.ok ? result.sid : '';
    expect(twilio.standIn.outbox()).toContainEqual(
      expect.objectContaining({
        sid,
        from: agentNumber,
        to,
        body: 'Hi Ann, Bob from Acme Realty here.',
        at: now.toISOString(),
      }),
    );
    expect(twilio.standIn.inbox(to).map((entry) => entry.sid)).toEqual([sid]);
  });

  it('reports 21610 as not retryable when the recipient has unsubscribed', async () => {
    // prepare
    const to = '+15551230002';
    twilio.standIn.failNumber(to, '21610', 'reject');
    // act
    const result = await gateway().send({ from: agentNumber, to, body: 'Hello again' });
    // assess
    expect(result).toEqual({
      ok: false,
      errorCode: '21610',
      message: expect.stringContaining('unsubscribed'),
      retryable: false,
    });
    expect(twilio.standIn.inbox(to)).toEqual([]);
  });

  it('reports an invalid number (21211) as not retryable', async () => {
    // prepare
    const to = '+15551230003';
    twilio.standIn.failNumber(to, '21211', 'reject');
    // act
    const result = await gateway().send({ from: agentNumber, to, body: 'Hello' });
    // assess
    expect(result).toMatchObject({ ok: false, errorCode: '21211', retryable: false });
  });

  it('reports a Twilio 500 as retryable, and the next attempt goes through', async () => {
    // prepare
    const to = '+15551230004';
    twilio.standIn.failNext(1, '500');
    // act
    const first = await gateway().send({ from: agentNumber, to, body: 'Hello' });
    const second = await gateway().send({ from: agentNumber, to, body: 'Hello' });
    // assess
    expect(first).toMatchObject({ ok: false, errorCode: '20500', retryable: true });
    expect(second).toMatchObject({ ok: true });
    expect(twilio.standIn.inbox(to)).toHaveLength(1);
  });

  it('reports a timeout as retryable when Twilio does not answer in time', async () => {
    // prepare
    const to = '+15551230005';
    twilio.standIn.failNext(1, 'timeout');
    // act
    const result = await gateway({ timeoutMs: 150 }).send({ from: agentNumber, to, body: 'Hello' });
    // assess
    expect(result).toMatchObject({ ok: false, errorCode: 'timeout', retryable: true });
    expect(twilio.standIn.inbox(to)).toEqual([]);
  });

  it('reports wrong credentials as a non-retryable 20003', async () => {
    // prepare
    const to = '+15551230006';
    // act
    const result = await gateway({ authToken: 'wrong-token' }).send({ from: agentNumber, to, body: 'Hello' });
    // assess
    expect(result).toMatchObject({ ok: false, errorCode: '20003', retryable: false });
    expect(twilio.standIn.inbox(to)).toEqual([]);
  });

  it('reports a network error as retryable when nothing listens', async () => {
    // prepare
    const closed = createServer();
    const closedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const sms = twilioSmsGateway({ accountSid, authToken, baseUrl: closedUrl });
    // act
    const result = await sms.send({ from: agentNumber, to: '+15551230007', body: 'Hello' });
    // assess
    expect(result).toMatchObject({ ok: false, errorCode: 'network', retryable: true });
  });

  it('posts From, To, Body and StatusCallback form-encoded with basic auth to the Messages resource', async () => {
    // prepare
    const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fakeFetch: typeof fetch = async (url, init) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify({ sid: 'SMabc', status: 'queued' }), { status: 201 });
    };
    const sms = twilioSmsGateway({ accountSid: 'AC9', authToken: 'tok', fetch: fakeFetch });
    // act
    await sms.send({ from: '+1500', to: '+1555', body: 'a&b=c', statusCallback: 'https://x.test/s?a=1' });
    // assess
    const [call] = calls;
    expect(call?.url).toBe('https://api.twilio.com/2010-04-01/Accounts/AC9/Messages.json');
    const headers = new Headers(call?.init?.headers);
    expect(headers.get('authorization')).toBe(`Basic ${Buffer.from('AC9:tok').toString('base64')}`);
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(String(call?.init?.body)))).toEqual({
      From: '+1500',
      To: '+1555',
      Body: 'a&b=c',
      StatusCallback: 'https://x.test/s?a=1',
    });
  });

  it.each([
    [429, '20429', true, { code: 20429, message: 'Too Many Requests', status: 429 }],
    [503, 'http_503', true, 'Service Unavailable'],
    [400, '21614', false, { code: 21614, message: "'To' number is not a valid mobile number", status: 400 }],
    [404, 'http_404', false, '<html>not found</html>'],
  ])('maps HTTP %i to errorCode %s, retryable %s', async (status, errorCode, retryable, answer) => {
    // prepare
    const fakeFetch: typeof fetch = async () =>
      new Response(typeof answer === 'string' ? answer : JSON.stringify(answer), { status });
    const sms = twilioSmsGateway({ accountSid, authToken, fetch: fakeFetch });
    // act
    const result = await sms.send({ from: agentNumber, to: '+15551230008', body: 'Hello' });
    // assess
    expect(result).toMatchObject({ ok: false, errorCode, retryable });
  });

  it('does not ask for a resend when Twilio accepted but the answer has no sid', async () => {
    // prepare
    const fakeFetch: typeof fetch = async () => new Response('<ok/>', { status: 201 });
    const sms = twilioSmsGateway({ accountSid, authToken, fetch: fakeFetch });
    // act
    const result = await sms.send({ from: agentNumber, to: '+15551230009', body: 'Hello' });
    // assess
    expect(result).toMatchObject({ ok: false, errorCode: 'invalid_response', retryable: false });
  });
});
