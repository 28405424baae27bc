// The webhooks module alone: it needs only node's crypto, url and querystring, so a Lambda
// bundle that checks signatures does not pull in the REST client and its HTTP stack.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';

/** Form fields as Twilio posts them; a field sent several times arrives as an array. */
export type TwilioFormParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * True when `signature` (the `X-Twilio-Signature` header) is Twilio's HMAC-SHA1 of `url` and
 * the form fields under `authToken`. `url` must be the full public URL Twilio called (scheme,
 * host, path and query string as configured on the number), not the URL API Gateway rewrote.
 * Never throws: a missing header or a malformed URL is simply not a valid signature.
 *
 * @example verifyTwilioSignature({ authToken, url: 'https://api.example.com/twilio/sms', params: form, signature: header })
 */
export function verifyTwilioSignature(input: {
  authToken: string;
  url: string;
  params: TwilioFormParams;
  signature: string | undefined;
}): boolean {
  const { authToken, url, params, signature } = input;
  if (!signature || !authToken) return false;
  try {
    return validateRequest(authToken, signature, url, mutableCopy(params));
  } catch {
    // validateRequest parses the URL with `new URL()`, which throws on a malformed one.
    return false;
  }
}

/**
 * The `X-Twilio-Signature` Twilio would send for this request: what the local Twilio stand-in
 * and the simulated phone put on their webhooks, and what tests sign with.
 */
export function signTwilioRequest(input: {
  authToken: string;
  url: string;
  params: TwilioFormParams;
}): string {
  return getExpectedTwilioSignature(input.authToken, input.url, mutableCopy(input.params));
}

// The helper only reads its params, but its signature is typed mutable.
function mutableCopy(params: TwilioFormParams): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, typeof value === 'string' ? value : [...value]]),
  );
}
