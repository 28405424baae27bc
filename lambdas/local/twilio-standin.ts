import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signTwilioRequest } from '../adapters/twilio/signature';
import { countSegments } from '../compliance/content';
import type { Clock } from '../ports';
import { twilioKeywordRules, type TwilioKeywordKind } from '../rules/twilio-keywords';
import { readBody } from './read-body';
import { twimlMessages } from './twiml';
import { deliverWebhook, failureClass, type WebhookAttempt } from './webhook-delivery';

/** Twilio error codes the stand-in can simulate; any other code is passed through as given. */
export type TwilioErrorCode =
  '21211' | '21408' | '21610' | '21614' | '30003' | '30005' | '30006' | '30007' | '30008' | (string & {});

/** A message Twilio accepted, as the stand-in saw it; `status` follows the status callbacks. */
export type OutboxEntry = {
  sid: string;
  from: string;
  to: string;
  body: string;
  /** When Twilio accepted it (the stand-in's clock). */
  at: string;
  /** `api`: a Messages API send; `twiml`: a webhook's `<Message>`; `keyword`: Twilio's own keyword reply. */
  origin: 'api' | 'twiml' | 'keyword';
  messagingServiceSid?: string;
  status: 'accepted' | 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
  /** Set once the message has failed. */
  errorCode?: string;
  statusCallback?: string;
};

/** One status callback the stand-in tried to post. */
export type CallbackDelivery = {
  url: string;
  params: Record<string, string>;
  /** The HTTP status the callback URL answered, or why it could not be reached. */
  answer: number | string;
};

/** Advanced Opt-Out texts of a Messaging Service (https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out). */
export type AdvancedOptOut = { optOut: string; optIn: string; help: string };

export type MessagingServiceConfig = {
  sid: string;
  /** The numbers in the service's sender pool. */
  senders: string[];
  /** On: Twilio answers keywords with these texts and adds `OptOutType` to the inbound webhook. */
  advancedOptOut?: AdvancedOptOut;
};

/** What happened to one inbound text: Twilio's own reply, every webhook attempt, where it landed. */
export type InboundDelivery = {
  messageSid: string;
  /** Twilio's own keyword reply, when it sent one. */
  keywordReply?: OutboxEntry;
  attempts: WebhookAttempt[];
  /** `primary`/`fallback`: the URL whose last attempt answered 2xx; `lost`: neither did. */
  landed: 'primary' | 'fallback' | 'lost';
  /** `<Message>` replies of the answering webhook's TwiML, as sent. */
  twimlReplies: OutboxEntry[];
};

export type TwilioStandInOptions = {
  accountSid: string;
  authToken: string;
  clock: Clock;
  /** Delay before queued status callbacks are posted (real timers); tests call `flushCallbacks()`. */
  callbackDelayMs?: number;
  /** Used to post status callbacks and webhooks. */
  fetch?: typeof globalThis.fetch;
  /**
   * The number's messaging webhooks, exactly as configured in Twilio (connection overrides in
   * the fragment): "A message comes in" and "Primary handler fails".
   */
  webhooks?: { sms: string; smsFallback?: string };
  /** Seeds the Messaging Service callback quirks (repeats, reordering); 1 by default. */
  seed?: number;
};

export type TwilioStandIn = {
  readonly accountSid: string;
  /** Serves Twilio's Messages API; resolves false when the request is not a route it knows. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Every message accepted, oldest first. */
  outbox(): OutboxEntry[];
  /** What `phone` received: messages sent to it, except those it is set to fail. */
  inbox(phone: string): OutboxEntry[];
  /**
   * From now on, a message to `phone` is refused by the API (`reject`: HTTP 400 with the code)
   * or accepted and then reported failed by status callback (`callback`).
   */
  failNumber(phone: string, errorCode: TwilioErrorCode, mode: 'reject' | 'callback'): void;
  /** The next `n` API requests answer 500 (Twilio code 20500) or never answer (`timeout`). */
  failNext(n: number, kind: '500' | 'timeout'): void;
  /**
   * Records a message Twilio sends on a webhook's TwiML `<Message>` (a keyword reply): it is in
   * the outbox and the recipient's inbox like an API send. Undefined when the number refuses it.
   */
  recordReply(message: { from: string; to: string; body: string }): OutboxEntry | undefined;
  /** Posts every queued status callback now and waits for those in flight. */
  flushCallbacks(): Promise<void>;
  /** Every status callback posted so far. */
  callbacks(): CallbackDelivery[];
  /** Drops queued callbacks and cuts requests left hanging by a simulated timeout. */
  stop(): void;
  /** Adds or replaces a Messaging Service: its sender pool and Advanced Opt-Out texts. */
  configureMessagingService(service: MessagingServiceConfig): void;
  /** Sets the numbers' messaging webhooks (as configured in the console, overrides included). */
  setWebhooks(webhooks: { sms: string; smsFallback?: string }): void;
  /**
   * The contact's phone texts `to`: Twilio applies its keyword handling (block list, its own
   * reply), then posts the webhook (retried as its overrides ask, then the Fallback URL) and
   * sends the TwiML `<Message>` replies of whichever answered.
   */
  receiveSms(sms: { from: string; to: string; body: string }): Promise<InboundDelivery>;
  /** Whether Twilio's block list holds `phone` for `sender` (a number or a Messaging Service SID). */
  isBlocked(sender: string, phone: string): boolean;
};

const API_VERSION = '2010-04-01';
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MAX_BODY_CHARS = 1600;

// Messages as Twilio words them (https://www.twilio.com/docs/api/errors).
const errorMessages: Record<string, string> = {
  '20003': 'Authenticate',
  '20500': 'An internal server error has occurred',
  '21211': "The 'To' number is not a valid phone number.",
  '21408': "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
  '21602': 'Message body is required.',
  '21603': "The source 'From' phone number is required to send an SMS",
  '21604': "A 'To' phone number is required.",
  '21610': 'Attempt to send to unsubscribed recipient',
  '21614': "'To' number is not a valid mobile number",
  '21617': 'The concatenated message body exceeds the 1600 character limit.',
  '30003': 'Unreachable destination handset',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered',
  '30008': 'Unknown error',
};

type Failure = { errorCode: string; mode: 'reject' | 'callback' };
type StatusEvent = { entry: OutboxEntry; status: OutboxEntry['status']; errorCode?: string };

/**
 * An in-process stand-in for Twilio's Messages REST API and the contacts' phones, for the
 * local runtime and tests. It checks basic auth and the required fields as Twilio does, keeps
 * an outbox, and posts status callbacks (`sent` then `delivered`, or `undelivered`/`failed`
 * with an ErrorCode) form-encoded and signed with `X-Twilio-Signature`, like Twilio.
 *
 * @example
 * const twilio = createTwilioStandIn({ accountSid, authToken, clock });
 * const server = http.createServer((req, res) => void twilio.handle(req, res));
 */
export function createTwilioStandIn(options: TwilioStandInOptions): TwilioStandIn {
  const { accountSid, authToken, clock, callbackDelayMs = 20 } = options;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const entries: OutboxEntry[] = [];
  // Sids of messages that will never reach the handset, decided when they were accepted.
  const undeliverable = new Set<string>();
  const failures = new Map<string, Failure>();
  // Twilio's block list: per sender key (Messaging Service SID, or the number outside any service).
  const blocks = new Map<string, Set<string>>();
  const services = new Map<string, MessagingServiceConfig>();
  let webhooks = options.webhooks;
  let seed = (options.seed ?? 1) >>> 0;
  // mulberry32: a seeded run repeats its callback quirks exactly.
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const serviceOf = (number: string) =>
    [...services.values()].find((service) => service.senders.includes(number));
  const senderKey = (number: string, messagingServiceSid?: string) =>
    messagingServiceSid ?? serviceOf(number)?.sid ?? number;
  const blocked = (key: string, phone: string) => blocks.get(key)?.has(phone) ?? false;
  const injected: Array<'500' | 'timeout'> = [];
  const queue: StatusEvent[] = [];
  const deliveries: CallbackDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hanging = new Set<ServerResponse>();
  // A message's callbacks go out one at a time, in the order planned for it (a Messaging
  // Service's repeats and swaps included); different messages' callbacks are separate requests
  // that overlap, so the webhook sees them concurrently, as Twilio sends them: each status change
  // is its own POST to the message's StatusCallback, with no ordering across messages
  // (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
  const delivering = new Map<string, Promise<void>>();

  function drain(): Promise<void> {
    for (let event = queue.shift(); event; event = queue.shift()) {
      const { sid } = event.entry;
      const next = (delivering.get(sid) ?? Promise.resolve()).then(() => deliver(event));
      delivering.set(sid, next);
      void next.then(() => {
        if (delivering.get(sid) === next) delivering.delete(sid);
      });
    }
    return Promise.all(delivering.values()).then(() => undefined);
  }

  async function deliver({ entry, status, errorCode }: StatusEvent): Promise<void> {
    entry.status = status;
    if (errorCode !== undefined) entry.errorCode = errorCode;
    if (entry.statusCallback === undefined) return;
    const params: Record<string, string> = {
      ...(errorCode !== undefined ? { ErrorCode: errorCode } : {}),
      SmsSid: entry.sid,
      SmsStatus: status,
      MessageStatus: status,
      To: entry.to,
      MessageSid: entry.sid,
      AccountSid: accountSid,
      From: entry.from,
      ApiVersion: API_VERSION,
    };
    const url = entry.statusCallback;
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioRequest({ authToken, url, params }),
          'i-twilio-idempotency-token': randomUUID(),
          'user-agent': 'TwilioProxy/1.1',
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      deliveries.push({ url, params, answer: response.status });
    } catch (error) {
      // Twilio does not retry a failed status callback either.
      deliveries.push({ url, params, answer: error instanceof Error ? error.message : String(error) });
    }
  }

  function accept(message: {
    from: string;
    to: string;
    body: string;
    statusCallback?: string;
    origin: OutboxEntry['origin'];
    messagingServiceSid?: string;
  }): OutboxEntry {
    const entry: OutboxEntry = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      ...message,
      at: clock.now().toISOString(),
      // A Messaging Service answers the create with `accepted`: the sender is picked later.
      status: message.messagingServiceSid === undefined ? 'queued' : 'accepted',
    };
    entries.push(entry);
    const events = statusEvents(entry, failures.get(message.to));
    queue.push(
      ...(message.messagingServiceSid === undefined ? events : serviceQuirks(entry, events, random)),
    );
    if (failures.has(message.to)) undeliverable.add(entry.sid);
    const timer = setTimeout(() => {
      timers.delete(timer);
      void drain();
    }, callbackDelayMs);
    timer.unref();
    timers.add(timer);
    return entry;
  }

  async function createMessage(req: IncomingMessage, res: ServerResponse, pathSid: string): Promise<void> {
    const form = new URLSearchParams(await readText(req));
    const fault = injected.shift();
    if (fault === '500') return twilioError(res, 500, '20500');
    if (fault === 'timeout') {
      // Never answer: the client's own timeout ends the exchange (or stop() does).
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return;
    }
    if (req.headers.authorization !== expectedAuthorization || pathSid !== accountSid) {
      res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      return twilioError(res, 401, '20003');
    }
    const to = form.get('To') ?? '';
    const messagingServiceSid = form.get('MessagingServiceSid') ?? undefined;
    const service = messagingServiceSid === undefined ? undefined : services.get(messagingServiceSid);
    if (messagingServiceSid !== undefined && service === undefined) return twilioError(res, 400, '21705');
    // With a Messaging Service and no From, Twilio picks a number of the pool.
    const from = form.get('From') ?? service?.senders[0] ?? '';
    const body = form.get('Body') ?? '';
    if (to === '') return twilioError(res, 400, '21604');
    if (from === '') return twilioError(res, 400, '21603');
    if (body === '') return twilioError(res, 400, '21602');
    if (body.length > MAX_BODY_CHARS) return twilioError(res, 400, '21617');
    // https://www.twilio.com/docs/api/errors/21610: the recipient texted STOP to this sender.
    if (blocked(senderKey(from, messagingServiceSid), to)) return twilioError(res, 400, '21610');
    const failure = failures.get(to);
    if (failure?.mode === 'reject') return twilioError(res, 400, failure.errorCode);

    const statusCallback = form.get('StatusCallback') ?? undefined;
    const entry = accept({
      from,
      to,
      body,
      origin: 'api',
      ...(statusCallback ? { statusCallback } : {}),
      ...(service ? { messagingServiceSid: service.sid } : {}),
    });
    sendJson(res, 201, messageResource(entry, accountSid));
  }

  /** Primary webhook as its overrides ask, then the Fallback URL (signed over its own URL, with ErrorCode). */
  async function postInbound(
    params: Record<string, string>,
  ): Promise<{ attempts: WebhookAttempt[]; landed: InboundDelivery['landed'] }> {
    if (webhooks === undefined) return { attempts: [], landed: 'lost' };
    const common = { authToken, ...(options.fetch ? { fetch: options.fetch } : {}) };
    const primary = await deliverWebhook({ configuredUrl: webhooks.sms, params, ...common });
    if (isSuccess(primary.at(-1))) return { attempts: primary, landed: 'primary' };
    if (webhooks.smsFallback === undefined) return { attempts: primary, landed: 'lost' };
    // https://www.twilio.com/docs/usage/security/availability-reliability: the fallback request
    // carries ErrorCode and ErrorUrl (11200: HTTP retrieval failure).
    const fallback = await deliverWebhook({
      configuredUrl: webhooks.smsFallback,
      params: { ...params, ErrorCode: '11200', ErrorUrl: primary.at(-1)?.url ?? webhooks.sms },
      ...common,
    });
    return { attempts: [...primary, ...fallback], landed: isSuccess(fallback.at(-1)) ? 'fallback' : 'lost' };
  }

  const standIn: TwilioStandIn = {
    accountSid,
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
      const match = MESSAGES_PATH.exec(path);
      if (req.method !== 'POST' || match?.[1] === undefined) return false;
      try {
        await createMessage(req, res, decodeURIComponent(match[1]));
      } catch (error) {
        if (!res.headersSent) sendJson(res, 500, { message: String(error) });
      }
      return true;
    },
    outbox: () => entries.map((entry) => ({ ...entry })),
    inbox: (phone) =>
      entries
        .filter((entry) => entry.to === phone && !undeliverable.has(entry.sid))
        .map((entry) => ({ ...entry })),
    failNumber(phone, errorCode, mode) {
      failures.set(phone, { errorCode, mode });
    },
    failNext(n, kind) {
      for (let i = 0; i < n; i += 1) injected.push(kind);
    },
    recordReply(message) {
      if (failures.get(message.to)?.mode === 'reject') return undefined;
      if (blocked(senderKey(message.from), message.to)) return undefined;
      return { ...accept({ ...message, origin: 'twiml' }) };
    },
    flushCallbacks: drain,
    callbacks: () => deliveries.map((delivery) => ({ ...delivery, params: { ...delivery.params } })),
    configureMessagingService(service) {
      services.set(service.sid, { ...service, senders: [...service.senders] });
    },
    setWebhooks(next) {
      webhooks = next;
    },
    isBlocked: blocked,
    async receiveSms(sms) {
      const messageSid = `SM${randomBytes(16).toString('hex')}`;
      const service = serviceOf(sms.to);
      const key = senderKey(sms.to);
      const keyword = twilioKeywordOf(sms.body);
      const wasBlocked = blocked(key, sms.from);
      // https://help.twilio.com/articles/223134027: the block list changes and Twilio replies
      // itself, then still forwards the message to the webhook.
      if (keyword === 'opt_out') blocks.set(key, (blocks.get(key) ?? new Set()).add(sms.from));
      if (keyword === 'opt_in') blocks.get(key)?.delete(sms.from);
      const replyText = keyword === undefined ? undefined : keywordReply(keyword, service?.advancedOptOut);
      // Assumed: a number already blocked gets no further STOP or HELP answer (Twilio documents
      // this for HELP on toll-free numbers; a real account should confirm it for long codes).
      const answers = keyword === 'opt_in' || !wasBlocked;
      const keywordReplyEntry =
        replyText !== undefined && answers
          ? { ...accept({ from: sms.to, to: sms.from, body: replyText, origin: 'keyword' }) }
          : undefined;
      const params = inboundParams({ ...sms, messageSid, accountSid, service, keyword });
      const delivery = await postInbound(params);
      const twimlReplies: OutboxEntry[] = [];
      const answered = delivery.attempts.at(-1);
      if (delivery.landed !== 'lost' && answered?.body !== undefined) {
        for (const reply of twimlMessages(answered.body)) {
          const sent = standIn.recordReply({
            from: reply.from ?? sms.to,
            to: reply.to ?? sms.from,
            body: reply.body,
          });
          if (sent) twimlReplies.push(sent);
        }
      }
      return {
        messageSid,
        ...(keywordReplyEntry ? { keywordReply: keywordReplyEntry } : {}),
        ...delivery,
        twimlReplies,
      };
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      queue.length = 0;
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
  };
  return standIn;
}

const isSuccess = (attempt: WebhookAttempt | undefined): boolean =>
  attempt !== undefined && failureClass(attempt.answer) === undefined;

/** Twilio's own matching: the whole message, trimmed, any case (https://help.twilio.com/articles/223134027). */
function twilioKeywordOf(body: string): TwilioKeywordKind | undefined {
  const word = body.trim().toUpperCase();
  if (twilioKeywordRules.optOut.includes(word)) return 'opt_out';
  if (twilioKeywordRules.optIn.includes(word)) return 'opt_in';
  if (twilioKeywordRules.help.includes(word)) return 'help';
  return undefined;
}

function keywordReply(kind: TwilioKeywordKind, custom: AdvancedOptOut | undefined): string {
  const texts = custom ?? twilioKeywordRules.defaultReplies;
  return kind === 'opt_out' ? texts.optOut : kind === 'opt_in' ? texts.optIn : texts.help;
}

const OPT_OUT_TYPES: Record<TwilioKeywordKind, string> = { opt_out: 'STOP', opt_in: 'START', help: 'HELP' };

/** The form of an inbound SMS webhook; `OptOutType` only from a service with Advanced Opt-Out. */
function inboundParams(sms: {
  from: string;
  to: string;
  body: string;
  messageSid: string;
  accountSid: string;
  service: MessagingServiceConfig | undefined;
  keyword: TwilioKeywordKind | undefined;
}): Record<string, string> {
  return {
    ToCountry: 'US',
    SmsMessageSid: sms.messageSid,
    NumMedia: '0',
    SmsSid: sms.messageSid,
    SmsStatus: 'received',
    Body: sms.body,
    FromCountry: 'US',
    To: sms.to,
    NumSegments: String(countSegments(sms.body).segments),
    MessageSid: sms.messageSid,
    AccountSid: sms.accountSid,
    From: sms.from,
    ApiVersion: '2010-04-01',
    ...(sms.service ? { MessagingServiceSid: sms.service.sid } : {}),
    ...(sms.service?.advancedOptOut && sms.keyword ? { OptOutType: OPT_OUT_TYPES[sms.keyword] } : {}),
  };
}

/**
 * A Messaging Service's callbacks: `queued` once the sender is picked, then the carrier's, and
 * any of them may come twice or swap with its neighbour
 * (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status: "status callbacks
 * are not guaranteed to arrive in order").
 */
function serviceQuirks(entry: OutboxEntry, events: StatusEvent[], random: () => number): StatusEvent[] {
  const out: StatusEvent[] = [{ entry, status: 'queued' }];
  for (const event of events) {
    out.push(event);
    if (random() < 0.2) out.push(event);
  }
  for (let i = 1; i + 1 < out.length; i++) {
    if (random() < 0.2) [out[i], out[i + 1]] = [out[i + 1] as StatusEvent, out[i] as StatusEvent];
  }
  return out;
}

/** The statuses a message goes through after `queued`, as Twilio reports them. */
function statusEvents(entry: OutboxEntry, failure: Failure | undefined): StatusEvent[] {
  if (failure === undefined)
    return [
      { entry, status: 'sent' },
      { entry, status: 'delivered' },
    ];
  // 30xxx: a carrier took the message and could not deliver it.
  if (failure.errorCode.startsWith('30')) {
    return [
      { entry, status: 'sent' },
      { entry, status: 'undelivered', errorCode: failure.errorCode },
    ];
  }
  // Anything else (21610, 21211…) fails inside Twilio before a carrier sees it.
  return [{ entry, status: 'failed', errorCode: failure.errorCode }];
}

/** Twilio's Message resource as the create call returns it (numbers are strings there too). */
function messageResource(entry: OutboxEntry, accountSid: string): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${entry.sid}`;
  const date = rfc2822(new Date(entry.at));
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body: entry.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: entry.from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: String(countSegments(entry.body).segments),
    price: null,
    price_unit: 'USD',
    sid: entry.sid,
    status: 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: entry.to,
    uri: `${uri}.json`,
  };
}

// Twilio dates read "Thu, 24 Aug 2023 05:01:45 +0000".
const rfc2822 = (date: Date): string => date.toUTCString().replace(/GMT$/, '+0000');

function twilioError(res: ServerResponse, status: number, code: string): void {
  sendJson(res, status, {
    code: Number(code),
    message: errorMessages[code] ?? `Twilio error ${code}`,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

/** Reads a request body as UTF-8 text; refuses more than `limit` bytes. */
export async function readText(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return (await readBody(req, limit)).toString('utf8');
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
