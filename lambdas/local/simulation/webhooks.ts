import { signTwilioRequest } from '../../adapters/twilio/signature';
import type { LocalRuntime } from '../runtime';
import type { CallbackDelivery } from '../twilio-standin';

/** The fields of Twilio's inbound SMS webhook, as the simulated phone posts them. */
export function inboundForm(sms: {
  sid: string;
  from: string;
  to: string;
  body: string;
  accountSid: string;
}) {
  return {
    ToCountry: 'US',
    SmsMessageSid: sms.sid,
    NumMedia: '0',
    SmsSid: sms.sid,
    SmsStatus: 'received',
    Body: sms.body,
    FromCountry: 'US',
    To: sms.to,
    MessageSid: sms.sid,
    AccountSid: sms.accountSid,
    From: sms.from,
    ApiVersion: '2010-04-01',
  };
}

/**
 * Posts a form to a Twilio webhook of the runtime exactly as Twilio does (form-encoded, signed
 * with `X-Twilio-Signature`); resolves to the HTTP status. Posting the same form twice is a
 * redelivery of the same webhook.
 */
export async function postSignedWebhook(
  runtime: Pick<LocalRuntime, 'twilioAuthToken'>,
  url: string,
  params: Record<string, string>,
): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest({ authToken: runtime.twilioAuthToken, url, params }),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Fault: posts status callbacks Twilio already delivered again, newest first, so each message's
 * `delivered` arrives before its `sent` (reordered) and every one arrives twice (duplicated).
 * Resolves to the statuses the webhook answered.
 */
export async function replayStatusCallbacks(
  runtime: Pick<LocalRuntime, 'twilioAuthToken'>,
  deliveries: readonly CallbackDelivery[],
): Promise<number[]> {
  const answers: number[] = [];
  for (const delivery of [...deliveries].reverse()) {
    answers.push(await postSignedWebhook(runtime, delivery.url, delivery.params));
  }
  return answers;
}
