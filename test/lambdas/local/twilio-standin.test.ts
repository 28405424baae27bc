import { verifyTwilioSignature } from '../../../lambdas/adapters/twilio/signature';
import { twilioSmsGateway } from '../../../lambdas/adapters/twilio/sms-gateway';
import { createTwilioStandIn } from '../../../lambdas/local/twilio-standin';
import { close, listen, recordingWebhook, serve, type RecordingWebhook } from '../../support/servers';
import { useTwilioStandIn } from '../../support/twilio-standin';

const accountSid = `AC${'2'.repeat(32)}`;
const authToken = 'stand-in-token';
const now = new Date('2026-03-02T15:00:00.000Z');
const agentNumber = '+15005550006';

// A long delay: these tests deliver callbacks with flushCallbacks(), except the one that waits.
const twilio = useTwilioStandIn({ accountSid, authToken, clock: { now: () => now }, callbackDelayMs: 200 });
let webhook: RecordingWebhook;

beforeAll(async () => {
  webhook = await recordingWebhook();
});

afterAll(() => webhook.close());

const gateway = () => twilioSmsGateway({ accountSid, authToken, baseUrl: twilio.url, timeoutMs: 2_000 });
/** The status callbacks the webhook received for `sid`: the URL called, its signature and its fields. */
const callbacksFor = (sid: string) =>
  webhook.posts
    .filter((post) => post.params.MessageSid === sid)
    .map((post) => ({
      url: `${webhook.url}${post.path}`,
      signature: post.headers['x-twilio-signature'] as string | undefined,
      params: post.params,
    }));

async function sendWithCallback(to: string): Promise<{ sid: string; statusCallback: string }> {
  const statusCallback = `${webhook.url}/twilio/status?to=${encodeURIComponent(to)}`;
  const result = await gateway().send({
    from: agentNumber,
    to,
    body: 'Hello from Acme Realty',
    statusCallback,
  });
  if (!result.ok) throw new Error(`send failed: ${result.errorCode}`);
  return { sid: result.sid, statusCallback };
}

/** A raw call to the Messages resource, to see exactly what the stand-in answers. */
async function postMessage(form: Record<string, string>, credentials = `${accountSid}:${authToken}`) {
  const response = await fetch(`${twilio.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('createTwilioStandIn', () => {
  it('posts signed status callbacks, sent then delivered', async () => {
    // prepare
    const to = '+15551240001';
    const { sid, statusCallback } = await sendWithCallback(to);
    // act
    await twilio.standIn.flushCallbacks();
    // assess
    const callbacks = callbacksFor(sid);
    expect(callbacks.map((callback) => callback.params.MessageStatus)).toEqual(['sent', 'delivered']);
    for (const callback of callbacks) {
      expect(callback.url).toBe(statusCallback);
      expect(
        verifyTwilioSignature({
          authToken,
          url: statusCallback,
          params: callback.params,
          signature: callback.signature,
        }),
      ).toBe(true);
      expect(callback.params).toMatchObject({
        MessageSid: sid,
        SmsSid: sid,
        SmsStatus: callback.params.MessageStatus,
        AccountSid: accountSid,
        From: agentNumber,
        To: to,
        ApiVersion: '2010-04-01',
      });
      expect(callback.params).not.toHaveProperty('ErrorCode');
    }
    expect(twilio.standIn.outbox().find((entry) => entry.sid === sid)?.status).toBe('delivered');
  });

  it('signs callbacks so that another auth token does not verify them', async () => {
    // prepare
    const { sid, statusCallback } = await sendWithCallback('+15551240002');
    // act
    await twilio.standIn.flushCallbacks();
    // assess
    const [first] = callbacksFor(sid);
    expect(first).toBeDefined();
    const signed = { url: statusCallback, params: first?.params ?? {}, signature: first?.signature };
    expect(verifyTwilioSignature({ authToken: 'another-token', ...signed })).toBe(false);
    expect(verifyTwilioSignature({ authToken, ...signed })).toBe(true);
  });

  it('delivers the callbacks by itself after the delay', async () => {
    // prepare
    const { sid } = await sendWithCallback('+15551240003');
    // act
    const deadline = Date.now() + 5_000;
    while (callbacksFor(sid).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // assess
    expect(callbacksFor(sid).map((callback) => callback.params.MessageStatus)).toEqual(['sent', 'delivered']);
  });

  it('reports undelivered with ErrorCode 30007 for a number that fails by callback', async () => {
    // prepare
    const to = '+15551240004';
    twilio.standIn.failNumber(to, '30007', 'callback');
    const { sid } = await sendWithCallback(to);
    // act
    await twilio.standIn.flushCallbacks();
    // assess
    const callbacks = callbacksFor(sid);
    expect(callbacks.map((callback) => callback.params.MessageStatus)).toEqual(['sent', 'undelivered']);
    expect(callbacks[1]?.params.ErrorCode).toBe('30007');
    expect(twilio.standIn.outbox().find((entry) => entry.sid === sid)).toMatchObject({
      status: 'undelivered',
      errorCode: '30007',
    });
    expect(twilio.standIn.inbox(to)).toEqual([]);
  });

  it('reports failed with ErrorCode 21610 and no sent status for an unsubscribed number in callback mode', async () => {
    // prepare
    const to = '+15551240005';
    twilio.standIn.failNumber(to, '21610', 'callback');
    const { sid } = await sendWithCallback(to);
    // act
    await twilio.standIn.flushCallbacks();
    // assess
    expect(
      callbacksFor(sid).map((callback) => [callback.params.MessageStatus, callback.params.ErrorCode]),
    ).toEqual([['failed', '21610']]);
  });

  it('answers 201 with Twilio’s Message resource', async () => {
    // prepare
    const form = { From: agentNumber, To: '+15551240006', Body: 'x'.repeat(161) };
    // act
    const { status, json } = await postMessage(form);
    // assess
    expect(status).toBe(201);
    expect(json).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      account_sid: accountSid,
      from: agentNumber,
      to: '+15551240006',
      body: form.Body,
      status: 'queued',
      num_segments: '2',
      direction: 'outbound-api',
      date_created: 'Mon, 02 Mar 2026 15:00:00 +0000',
      error_code: null,
      error_message: null,
    });
  });

  it.each([
    ['To', { From: agentNumber, Body: 'Hi' }, 21604],
    ['From', { To: '+15551240007', Body: 'Hi' }, 21603],
    ['Body', { From: agentNumber, To: '+15551240007' }, 21602],
  ])('answers 400 when %s is missing', async (_field, form, code) => {
    // prepare: the form above
    // act
    const { status, json } = await postMessage(form);
    // assess
    expect(status).toBe(400);
    expect(json).toMatchObject({
      code,
      status: 400,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    });
    expect(twilio.standIn.inbox('+15551240007')).toEqual([]);
  });

  it('answers 401 with code 20003 to wrong credentials', async () => {
    // prepare
    const form = { From: agentNumber, To: '+15551240008', Body: 'Hi' };
    // act
    const { status, json } = await postMessage(form, `${accountSid}:not-the-token`);
    // assess
    expect(status).toBe(401);
    expect(json).toMatchObject({ code: 20003, status: 401 });
    expect(twilio.standIn.outbox().some((entry) => entry.to === '+15551240008')).toBe(false);
  });

  it('answers the Twilio error JSON of the code of a number set to reject', async () => {
    // prepare
    twilio.standIn.failNumber('+15551240009', '21610', 'reject');
    // act
    const { status, json } = await postMessage({ From: agentNumber, To: '+15551240009', Body: 'Hi' });
    // assess
    expect(status).toBe(400);
    expect(json).toEqual({
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
      more_info: 'https://www.twilio.com/docs/errors/21610',
      status: 400,
    });
  });

  it('answers 500 with code 20500 for the next n requests only', async () => {
    // prepare
    twilio.standIn.failNext(2, '500');
    const form = { From: agentNumber, To: '+15551240010', Body: 'Hi' };
    // act
    const answers = [await postMessage(form), await postMessage(form), await postMessage(form)];
    // assess
    expect(answers.map((answer) => [answer.status, answer.json.code])).toEqual([
      [500, 20500],
      [500, 20500],
      [201, undefined],
    ]);
  });

  it('keeps the inbox of each phone to what was sent to it', async () => {
    // prepare
    const ann = '+15551240011';
    const bob = '+15551240012';
    // act
    await gateway().send({ from: agentNumber, to: ann, body: 'for Ann' });
    await gateway().send({ from: agentNumber, to: bob, body: 'for Bob' });
    await gateway().send({ from: agentNumber, to: ann, body: 'for Ann again' });
    // assess
    expect(twilio.standIn.inbox(ann).map((entry) => entry.body)).toEqual(['for Ann', 'for Ann again']);
    expect(twilio.standIn.inbox(bob).map((entry) => entry.body)).toEqual(['for Bob']);
  });

  it('cuts a request left hanging by a simulated timeout when stopped', async () => {
    // prepare
    const own = createTwilioStandIn({ accountSid, authToken, clock: { now: () => now } });
    const server = serve(own);
    const ownUrl = await listen(server);
    own.failNext(1, 'timeout');
    const pending = twilioSmsGateway({ accountSid, authToken, baseUrl: ownUrl, timeoutMs: 10_000 }).send({
      from: agentNumber,
      to: '+15551240013',
      body: 'Hi',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // act
    own.stop();
    const result = await pending;
    await close(server);
    // assess
    expect(result).toMatchObject({ ok: false, errorCode: 'network', retryable: true });
    expect(own.outbox()).toEqual([]);
  });

  it("keeps one message's callbacks in order while another message's go out meanwhile", async () => {
    // prepare: a status webhook that holds the first message's `sent` until the second message's
    // `sent` has arrived (a serial stand-in would wait out the hold)
    const own = createTwilioStandIn({ accountSid, authToken, clock: { now: () => now }, callbackDelayMs: 0 });
    const twilioServer = serve(own);
    const ownUrl = await listen(twilioServer);
    const seen: string[] = [];
    let secondSent: () => void = () => {};
    const secondArrived = new Promise<void>((resolve) => (secondSent = resolve));
    let held = '';
    const statusServer = serve({
      async handle(req, res) {
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const params = new URLSearchParams(body);
        const sid = params.get('MessageSid') ?? '';
        const status = params.get('MessageStatus') ?? '';
        if (held === '') held = sid;
        if (sid === held && status === 'sent') {
          await Promise.race([secondArrived, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        }
        seen.push(`${sid === held ? 'first' : 'second'}:${status}`);
        if (sid !== held && status === 'sent') secondSent();
        res.writeHead(204).end();
        return true;
      },
    });
    const statusUrl = await listen(statusServer);
    const send = (to: string) =>
      twilioSmsGateway({ accountSid, authToken, baseUrl: ownUrl, timeoutMs: 2_000 }).send({
        from: agentNumber,
        to,
        body: 'Hi',
        statusCallback: `${statusUrl}/twilio/status`,
      });

    // act
    await send('+15551240014');
    await send('+15551240015');
    await own.flushCallbacks();
    await Promise.all([close(twilioServer), close(statusServer)]);

    // assess
    expect(seen.indexOf('second:sent')).toBeLessThan(seen.indexOf('first:sent'));
    expect(seen.indexOf('first:sent')).toBeLessThan(seen.indexOf('first:delivered'));
    expect(seen.indexOf('second:sent')).toBeLessThan(seen.indexOf('second:delivered'));
    expect(seen).toHaveLength(4);
  });

  it('leaves routes it does not know to the caller', async () => {
    // prepare
    const url = `${twilio.url}/2010-04-01/Accounts/${accountSid}/Calls.json`;
    // act
    const response = await fetch(url, { method: 'POST', body: '' });
    // assess
    expect(response.status).toBe(404);
  });
});
