/**
 * Connection overrides for the inbound SMS webhook
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides). Without them
 * Twilio retries only a connection it could not open, once, and never a 5xx or a slow answer:
 * retry connect failures, read timeouts and 5xx three times within Twilio's 15 s budget. The
 * read timeout (4 s) stays under the function's so a slow attempt is retried, not lost; a retry
 * that meets the first attempt still running is answered as a duplicate (MessageSid claim).
 */
export const INBOUND_OVERRIDES = 'rc=3&rp=ct,rt,5xx&ct=3000&rt=4000&tt=15000';

/** The fallback only enqueues, so it answers fast: retry it on anything but a 4xx. */
export const FALLBACK_OVERRIDES = 'rc=2&rp=ct,rt,5xx&ct=3000&rt=3000&tt=10000';

export const INBOUND_SMS_PATH = '/twilio/sms';
export const SMS_FALLBACK_PATH = '/twilio/sms-fallback';

/**
 * The URLs to paste into a number's (or Messaging Service's) messaging configuration: "A
 * message comes in" and "Primary handler fails". Twilio signs the URL without the fragment.
 * @example twilioMessagingUrls('https://api.example.com').sms // 'https://api.example.com/twilio/sms#rc=3&…'
 */
export function twilioMessagingUrls(publicBaseUrl: string): { sms: string; smsFallback: string } {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    sms: `${base}${INBOUND_SMS_PATH}#${INBOUND_OVERRIDES}`,
    smsFallback: `${base}${SMS_FALLBACK_PATH}#${FALLBACK_OVERRIDES}`,
  };
}

export const STATUS_CALLBACK_PATH = '/twilio/status';

/**
 * The status callback URL of one text: the message id rides in the query, which Twilio's
 * signature covers (https://www.twilio.com/docs/usage/webhooks/webhooks-security), so a
 * callback finds its message by key instead of looking the SID up in an index.
 * @example statusCallbackUrl('https://api.example.com', 'msg_1f…') // 'https://api.example.com/twilio/status?messageId=msg_1f…'
 */
export function statusCallbackUrl(publicBaseUrl: string, messageId: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}${STATUS_CALLBACK_PATH}?${new URLSearchParams({ messageId }).toString()}`;
}
