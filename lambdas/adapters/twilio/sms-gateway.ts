import type { SmsGateway, SmsSendResult } from '../../ports';
import { parseJson, twilioRest, type TwilioRestOptions } from './rest';

/** The error body Twilio's REST API answers with, e.g. `{ code: 21610, message, more_info, status: 400 }`. */
type TwilioErrorBody = { code?: unknown; message?: unknown };

/**
 * An {@link SmsGateway} that creates a Message through Twilio's REST API with a plain `fetch`
 * (no Twilio SDK in the bundle).
 *
 * Results:
 * - 2xx: `{ ok: true, sid, status }` (status is usually `queued`).
 * - 4xx with a Twilio error code (21610 unsubscribed recipient, 21211 invalid number, 21408
 *   region not enabled, 21614 not a mobile number, 20003 bad credentials…): not retryable, the
 *   same request would fail again. `errorCode` is Twilio's code, so callers can act on 21610.
 * - 429 and 5xx: retryable.
 * - No answer: `errorCode` `'timeout'` or `'network'`, retryable. A timeout is ambiguous:
 *   Twilio may have accepted the message before the connection was lost, so a caller must not
 *   blindly resend; it should keep its own attempt record (and the status callback may still
 *   arrive with a sid it has never seen).
 *
 * Never throws.
 *
 * @example
 * const sms = twilioSmsGateway({ accountSid, authToken });
 * const result = await sms.send({ from: agent.senderNumber, to: '+15551234567', body, statusCallback });
 */
export function twilioSmsGateway(options: TwilioRestOptions): SmsGateway {
  const { root, authorization, fetch: fetchFn, timeoutMs } = twilioRest(options, 'https://api.twilio.com');
  const endpoint = `${root}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;

  return {
    async send({ from, messagingServiceSid, to, body, statusCallback }) {
      // With a Messaging Service, Twilio picks the sender from its pool and applies its
      // Advanced Opt-Out and block list (https://www.twilio.com/docs/messaging/services).
      const form = new URLSearchParams(
        messagingServiceSid === undefined
          ? { From: from, To: to, Body: body }
          : { MessagingServiceSid: messagingServiceSid, To: to, Body: body },
      );
      if (statusCallback !== undefined) form.set('StatusCallback', statusCallback);
      try {
        const response = await fetchFn(endpoint, {
          method: 'POST',
          headers: {
            authorization,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        return response.ok ? accepted(response.status, text) : rejected(response.status, text);
      } catch (error) {
        return unanswered(error);
      }
    },
  };
}

function accepted(httpStatus: number, text: string): SmsSendResult {
  const json = parseJson(text) as { sid?: unknown; status?: unknown } | undefined;
  if (typeof json?.sid === 'string') {
    return { ok: true, sid: json.sid, status: typeof json.status === 'string' ? json.status : 'queued' };
  }
  // Twilio said yes but we cannot tell to what: resending could text the contact twice.
  return {
    ok: false,
    errorCode: 'invalid_response',
    message: `Twilio answered ${httpStatus} without a message sid`,
    retryable: false,
  };
}

function rejected(httpStatus: number, text: string): SmsSendResult {
  const json = parseJson(text) as TwilioErrorBody | undefined;
  const code =
    typeof json?.code === 'number' || typeof json?.code === 'string' ? String(json.code) : undefined;
  const message = typeof json?.message === 'string' ? json.message : `Twilio answered HTTP ${httpStatus}`;
  return {
    ok: false,
    errorCode: code ?? `http_${httpStatus}`,
    message,
    // Twilio rejects a 4xx for a reason that does not go away (except rate limiting).
    retryable: httpStatus === 429 || httpStatus >= 500,
  };
}

function unanswered(error: unknown): SmsSendResult {
  // AbortSignal.timeout aborts with a DOMException named TimeoutError (duck-typed: it may come
  // from another realm, so `instanceof Error` is not reliable).
  const timedOut = errorName(error) === 'TimeoutError';
  const detail = describe(error);
  return timedOut
    ? {
        ok: false,
        errorCode: 'timeout',
        message: `Twilio did not answer in time: ${detail}`,
        retryable: true,
      }
    : { ok: false, errorCode: 'network', message: `Twilio could not be reached: ${detail}`, retryable: true };
}

type ErrorLike = { name?: unknown; message?: unknown; cause?: unknown };

const errorName = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as ErrorLike).name : undefined;

// undici's "fetch failed" keeps the reason (ECONNREFUSED, DNS…) in `cause`.
function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, cause } = error as ErrorLike;
  const reason = typeof cause === 'object' && cause !== null ? (cause as ErrorLike).message : undefined;
  return [message, reason].filter((part) => typeof part === 'string' && part !== '').join(': ');
}
