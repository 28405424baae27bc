import type { Server } from 'node:http';
import { verifyTwilioSignature } from '../../../lambdas/adapters/twilio/signature';
import { createPhoneRoutes, sendInbound, twimlMessages } from '../../../lambdas/local/simulated-phone';
import { createTwilioStandIn, type TwilioStandIn } from '../../../lambdas/local/twilio-standin';
import { close, listen, recordingWebhook, serve, type RecordingWebhook } from '../../support/servers';

const accountSid = `AC${'3'.repeat(32)}`;
const authToken = 'phone-token';
const agentNumber = '+15005550006';
const contact = '+15551250001';
const optOutReply =
  'You have been unsubscribed from Bob Smith (Acme Realty) texts & will get no more messages.';

let standIn: TwilioStandIn;
let webhook: RecordingWebhook;
let app: Server;
let appUrl: string;

beforeAll(async () => {
  standIn = createTwilioStandIn({
    accountSid,
    authToken,
    clock: { now: () => new Date('2026-03-02T15:00:00Z') },
  });
  // A fake inbound webhook: answers STOP with a TwiML confirmation, anything else with nothing.
  webhook = await recordingWebhook(({ params }) => {
    if (params.Body === 'malformed')
      return { status: 400, contentType: 'text/plain', body: 'Body: not understood' };
    const twiml = /stop/i.test(params.Body ?? '')
      ? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${optOutReply.replace('&', '&amp;')}</Message></Response>`
      : '<?xml version="1.0" encoding="UTF-8"?><Response/>';
    return { status: 200, contentType: 'text/xml', body: twiml };
  });
  app = serve(createPhoneRoutes({ standIn, webhookUrl: `${webhook.url}/twilio/sms` }));
  appUrl = await listen(app);
});

afterAll(async () => {
  standIn.stop();
  await close(app);
  await webhook.close();
});

/** A request to the simulated phone's text route, as a tool on this machine or a web page would send it. */
const postToPhone = (headers: Record<string, string>, body: string) =>
  fetch(`${appUrl}/local/phone/sms`, { method: 'POST', headers, body });
/** The contact `from` texts `body` to the agent's number through the simulated phone. */
const textAgent = (from: string, body: string) =>
  postToPhone({ 'content-type': 'application/json' }, JSON.stringify({ from, to: agentNumber, body }));
const inboxOf = (from: string) => fetch(`${appUrl}/local/phone/${encodeURIComponent(from)}/inbox`);

describe('sendInbound', () => {
  it('posts a signed inbound SMS webhook form and returns the TwiML answer', async () => {
    // prepare
    const webhookUrl = `${webhook.url}/twilio/sms?agent=a1`;
    // act
    const result = await sendInbound({
      from: contact,
      to: agentNumber,
      body: 'STOP',
      webhookUrl,
      authToken,
      accountSid,
    });
    // assess
    const hit = webhook.posts.find((candidate) => candidate.params.MessageSid === result.messageSid);
    expect(result.status).toBe(200);
    expect(result.body).toContain('<Message>');
    expect(result.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(hit?.path).toBe('/twilio/sms?agent=a1');
    expect(hit?.params).toMatchObject({
      MessageSid: result.messageSid,
      SmsMessageSid: result.messageSid,
      SmsSid: result.messageSid,
      AccountSid: accountSid,
      From: contact,
      To: agentNumber,
      Body: 'STOP',
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      FromCity: '',
      ApiVersion: '2010-04-01',
    });
    expect(hit?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const signature = hit?.headers['x-twilio-signature'] as string | undefined;
    expect(verifyTwilioSignature({ authToken, url: webhookUrl, params: hit?.params ?? {}, signature })).toBe(
      true,
    );
    expect(
      verifyTwilioSignature({ authToken: 'other', url: webhookUrl, params: hit?.params ?? {}, signature }),
    ).toBe(false);
  });
});

describe('twimlMessages', () => {
  it('reads the text of each Message verb, plain or in a Body, with XML entities decoded', () => {
    // prepare
    const twiml =
      '<Response><Message>Tom &amp; Jerry &lt;3</Message><Say>ignored</Say>' +
      '<Message to="+15550001111" from=\'+15550002222\'><Body>second &#233;</Body></Message><Message/></Response>';
    // act
    const messages = twimlMessages(twiml);
    // assess
    expect(messages).toEqual([
      { body: 'Tom & Jerry <3' },
      { body: 'second é', to: '+15550001111', from: '+15550002222' },
      { body: '' },
    ]);
  });

  it('finds no message in an empty response', () => {
    // prepare
    const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
    // act
    const messages = twimlMessages(twiml);
    // assess
    expect(messages).toEqual([]);
  });
});

describe('createPhoneRoutes', () => {
  it('texts the agent number and delivers the TwiML reply to the contact’s inbox', async () => {
    // prepare
    const from = '+15551250002';
    // act
    const response = await textAgent(from, 'please stop texting me');
    const inbox = await inboxOf(from);
    // assess
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      messageSid: string;
      webhook: { status: number };
      replies: unknown[];
    };
    expect(answer.webhook.status).toBe(200);
    expect(answer.replies).toEqual([
      expect.objectContaining({ from: agentNumber, to: from, body: optOutReply }),
    ]);
    expect(
      webhook.posts.some((hit) => hit.params.MessageSid === answer.messageSid && hit.params.From === from),
    ).toBe(true);
    expect(inbox.status).toBe(200);
    expect(await inbox.json()).toEqual({
      phone: from,
      messages: [expect.objectContaining({ from: agentNumber, body: optOutReply })],
    });
  });

  it('answers STOP with Twilio’s own reply and refuses the webhook’s second one (21610)', async () => {
    // prepare
    const from = '+15551250012';
    // act
    const response = await textAgent(from, 'STOP');
    const inbox = await inboxOf(from);
    // assess
    const answer = (await response.json()) as { twilioReply?: { body: string }; replies: unknown[] };
    expect(answer.twilioReply?.body).toMatch(/unsubscribed/);
    expect(answer.replies).toEqual([]);
    expect(((await inbox.json()) as { messages: unknown[] }).messages).toEqual([
      expect.objectContaining({ origin: 'keyword', body: answer.twilioReply?.body }),
    ]);
    expect(standIn.isBlocked(agentNumber, from)).toBe(true);
  });

  it('records nothing when the webhook answers an empty TwiML response', async () => {
    // prepare
    const from = '+15551250003';
    // act
    const response = await textAgent(from, 'Is the house still for sale?');
    // assess
    expect(((await response.json()) as { replies: unknown[] }).replies).toEqual([]);
    expect(standIn.inbox(from)).toEqual([]);
  });

  it('answers with the webhook’s own status: a 400 from the webhook is a 400, not a 200', async () => {
    // prepare
    const from = '+15551250021';

    // act
    const response = await textAgent(from, 'malformed');

    // assess
    expect(response.status).toBe(400);
    const answer = (await response.json()) as {
      webhook: { status: number; twiml: string };
      received: unknown[];
    };
    expect(answer.webhook).toMatchObject({ status: 400, twiml: 'Body: not understood' });
    expect(answer.received).toEqual([]);
  });

  it('lists every reply the phone got back: Twilio’s own keyword reply first', async () => {
    // prepare
    const from = '+15551250022';

    // act
    const response = await textAgent(from, 'STOP');

    // assess
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      twilioReply: { body: string };
      received: { body: string; sid: string }[];
    };
    expect(answer.received.map((reply) => reply.body)).toEqual([answer.twilioReply.body]);
    const inbox = (await (await inboxOf(from)).json()) as {
      messages: { sid: string }[];
    };
    // The same texts the inbox holds (their delivery status moves on after the answer).
    expect(answer.received.map((reply) => reply.sid)).toEqual(inbox.messages.map((message) => message.sid));
  });

  it('answers 400 to a request without from, to and body', async () => {
    // prepare
    const body = JSON.stringify({ from: '+15551250004' });
    // act
    const response = await postToPhone({ 'content-type': 'application/json' }, body);
    // assess
    expect(response.status).toBe(400);
  });
});

describe('the /local/phone routes refuse what a web page could send', () => {
  const stop = JSON.stringify({ from: contact, to: agentNumber, body: 'STOP' });

  it('refuses a text/plain body (a cross-site form needs no preflight) with 415, posting nothing', async () => {
    // prepare
    const before = webhook.posts.length;

    // act
    const reply = await postToPhone({ 'content-type': 'text/plain' }, stop);

    // assess
    expect(reply.status).toBe(415);
    expect(webhook.posts.length).toBe(before);
  });

  it('refuses a request from another origin with 403, posting nothing', async () => {
    // prepare
    const before = webhook.posts.length;

    // act
    const fromPage = await postToPhone(
      { 'content-type': 'application/json', origin: 'https://evil.example' },
      stop,
    );
    const crossSite = await postToPhone(
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      stop,
    );

    // assess
    expect([fromPage.status, crossSite.status]).toEqual([403, 403]);
    expect(webhook.posts.length).toBe(before);
  });

  it('still takes a JSON text from a tool on this machine', async () => {
    // prepare
    const before = webhook.posts.length;

    // act
    const reply = await postToPhone({ 'content-type': 'application/json' }, stop);

    // assess
    expect(reply.status).toBe(200);
    expect(webhook.posts.length).toBe(before + 1);
  });
});
