import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { signTwilioRequest } from '../adapters/twilio/signature';
import { countSegments } from '../compliance/content';
import { readText, sendJson, type TwilioStandIn } from './twilio-standin';

export { twimlMessages, type TwimlMessage } from './twiml';

/** The account sid put on inbound webhooks when the caller names none. */
export const LOCAL_ACCOUNT_SID = `AC${'0'.repeat(32)}`;

// Twilio gives up on a webhook after 15 seconds.
const WEBHOOK_TIMEOUT_MS = 15_000;

export type InboundSms = {
  /** The contact's phone. */
  from: string;
  /** The agent's Twilio number. */
  to: string;
  body: string;
  /** The full public URL of the inbound SMS webhook, exactly as configured on the number. */
  webhookUrl: string;
  authToken: string;
  accountSid?: string;
  fetch?: typeof globalThis.fetch;
};

export type InboundSmsResult = {
  /** The webhook's HTTP status. */
  status: number;
  /** What the webhook answered: TwiML text. */
  body: string;
  messageSid: string;
};

/**
 * Plays the contact's phone texting an agent's number: posts the form Twilio posts for an
 * inbound SMS to `webhookUrl`, signed with `X-Twilio-Signature`. Rejects when the webhook
 * cannot be reached.
 *
 * @example await sendInbound({ from: '+15551230001', to: agent.senderNumber, body: 'STOP', webhookUrl, authToken })
 */
export async function sendInbound(sms: InboundSms): Promise<InboundSmsResult> {
  const { from, to, body, webhookUrl, authToken, accountSid = LOCAL_ACCOUNT_SID } = sms;
  const fetchFn = sms.fetch ?? globalThis.fetch;
  const messageSid = `SM${randomBytes(16).toString('hex')}`;
  // The fields and order of a real inbound SMS webhook; location fields are empty when unknown.
  const params: Record<string, string> = {
    ToCountry: 'US',
    ToState: '',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: messageSid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: body,
    FromCountry: 'US',
    To: to,
    ToZip: '',
    NumSegments: String(countSegments(body).segments),
    MessageSid: messageSid,
    AccountSid: accountSid,
    From: from,
    ApiVersion: '2010-04-01',
  };
  const response = await fetchFn(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest({ authToken, url: webhookUrl, params }),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.text(), messageSid };
}

const phoneSms = z.object({ from: z.string().min(1), to: z.string().min(1), body: z.string() });
const INBOX_PATH = /^\/local\/phone\/([^/]+)\/inbox$/;

export type PhoneRoutes = {
  /** Resolves false when the request is not a phone route. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
};

/**
 * The contacts' phones for the local runtime:
 * - `POST /local/phone/sms` `{ from, to, body }` (JSON): the contact texts an agent's number.
 *   The signed webhook goes to `webhookUrl`; any TwiML `<Message>` reply is "sent" through the
 *   stand-in, so it lands in the contact's inbox. Answers with the webhook's own HTTP status (502
 *   when none answered) and `{ messageSid, webhook: { status, twiml }, twilioReply?, replies,
 *   received }`: `replies` are the webhook's TwiML replies, `received` every text the phone got
 *   back (Twilio's own keyword reply first).
 * - `GET /local/phone/{number}/inbox`: `{ phone, messages }`, what the phone received.
 */
export function createPhoneRoutes(options: {
  standIn: TwilioStandIn;
  /** The number's webhooks as configured in Twilio; the stand-in keeps its own when absent. */
  webhookUrl?: string;
  fallbackUrl?: string;
  /** The runtime's own origin, the only one whose pages may call these routes (the webhook's by default). */
  origin?: string;
}): PhoneRoutes {
  const { standIn, webhookUrl, fallbackUrl } = options;
  const ownOrigin = options.origin ?? (webhookUrl === undefined ? undefined : new URL(webhookUrl).origin);
  if (webhookUrl !== undefined)
    standIn.setWebhooks({
      sms: webhookUrl,
      ...(fallbackUrl === undefined ? {} : { smsFallback: fallbackUrl }),
    });

  async function text(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = phoneSms.safeParse(parseJson(await readText(req)));
    if (!parsed.success) {
      return sendJson(res, 400, { message: 'expected JSON { from, to, body }', issues: parsed.error.issues });
    }
    // Through Twilio: its keyword handling and reply first, then the webhook and its retries.
    const delivery = await standIn.receiveSms(parsed.data);
    const answered = delivery.attempts.at(-1);
    // The phone says what the webhook said: its own status (a 400 stays a 400), or 502 when no
    // webhook answered at all (connection refused, timeout), as a gateway would.
    const status = typeof answered?.answer === 'number' ? answered.answer : 502;
    const received = [...(delivery.keywordReply ? [delivery.keywordReply] : []), ...delivery.twimlReplies];
    sendJson(res, status, {
      messageSid: delivery.messageSid,
      webhook: {
        status: answered?.answer ?? null,
        twiml: answered?.body ?? '',
        landed: delivery.landed,
        attempts: delivery.attempts.map(({ url, answer }) => ({ url, answer })),
      },
      ...(delivery.keywordReply ? { twilioReply: delivery.keywordReply } : {}),
      replies: delivery.twimlReplies,
      received,
    });
  }

  return {
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      if (path.startsWith('/local/phone/')) {
        const refusal = crossSiteRefusal(req, ownOrigin);
        if (refusal !== undefined) {
          sendJson(res, refusal.status, { message: refusal.message });
          return true;
        }
      }
      if (req.method === 'POST' && path === '/local/phone/sms') {
        await text(req, res).catch((error: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { message: String(error) });
        });
        return true;
      }
      const inbox = INBOX_PATH.exec(path)?.[1];
      if (req.method === 'GET' && inbox !== undefined) {
        const phone = decodeURIComponent(inbox);
        sendJson(res, 200, { phone, messages: standIn.inbox(phone) });
        return true;
      }
      return false;
    },
  };
}

/**
 * Why a request to the simulated phones is refused: these routes post signed STOPs, so a web page
 * the operator happens to open must not be able to drive them. A browser sends `Origin` (and
 * `Sec-Fetch-Site`) on cross-site requests, and a form or `fetch` without a preflight can only
 * send text/plain or form bodies — so: same origin only, and a POST must be `application/json`
 * (which a cross-site page cannot send without a preflight this server never answers).
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#simple_requests
 */
export function crossSiteRefusal(
  req: Pick<IncomingMessage, 'headers' | 'method'>,
  ownOrigin: string | undefined,
): { status: number; message: string } | undefined {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if ((origin !== undefined && origin !== ownOrigin) || site === 'cross-site' || site === 'same-site') {
    return {
      status: 403,
      message: `cross-origin requests to /local/phone are refused (Origin ${origin ?? site})`,
    };
  }
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return { status: 415, message: 'POST /local/phone/sms takes application/json only' };
    }
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
