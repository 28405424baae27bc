import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signTwilioRequest } from '../adapters/twilio/signature';
import { countSegments } from '../compliance/content';
import type { Clock } from '../ports';
import { readBody } from './read-body';

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
  status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
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

export type TwilioStandInOptions = {
  accountSid: string;
  authToken: string;
  clock: Clock;
  /** Delay before queued status callbacks are posted (real timers); tests call `flushCallbacks()`. */
  callbackDelayMs?: number;
  /** Used to post status callbacks. */
  fetch?: typeof globalThis.fetch;
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
  const injected: Array<'500' | 'timeout'> = [];
  const queue: StatusEvent[] = [];
  const deliveries: CallbackDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hanging = new Set<ServerResponse>();
  // Callbacks go out one at a time, in order, so `sent` always reaches the webhook before `delivered`.
  let delivering: Promise<void> = Promise.resolve();

  function drain(): Promise<void> {
    delivering = delivering.then(async () => {
      for (let event = queue.shift(); event; event = queue.shift()) await deliver(event);
    });
    return delivering;
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

  function accept(message: { from: string; to: string; body: string; statusCallback?: string }): OutboxEntry {
    const entry: OutboxEntry = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      ...message,
      at: clock.now().toISOString(),
      status: 'queued',
    };
    entries.push(entry);
    queue.push(...statusEvents(entry, failures.get(message.to)));
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
    const from = form.get('From') ?? '';
    const body = form.get('Body') ?? '';
    if (to === '') return twilioError(res, 400, '21604');
    if (from === '') return twilioError(res, 400, '21603');
    if (body === '') return twilioError(res, 400, '21602');
    if (body.length > MAX_BODY_CHARS) return twilioError(res, 400, '21617');
    const failure = failures.get(to);
    if (failure?.mode === 'reject') return twilioError(res, 400, failure.errorCode);

    const statusCallback = form.get('StatusCallback') ?? undefined;
    const entry = accept({ from, to, body, ...(statusCallback ? { statusCallback } : {}) });
    sendJson(res, 201, messageResource(entry, accountSid));
  }

  return {
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
      return { ...accept(message) };
    },
    flushCallbacks: drain,
    callbacks: () => deliveries.map((delivery) => ({ ...delivery, params: { ...delivery.params } })),
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      queue.length = 0;
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
  };
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
