/** What the Twilio REST adapters (Messaging, Lookup) share: how they reach Twilio, and how they read it. */

/** How an adapter reaches a Twilio REST API: the account's credentials, the API root, a fetch, a deadline. */
export type TwilioRestOptions = {
  accountSid: string;
  authToken: string;
  /** The API's root; the local runtime points it at its Twilio stand-in. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** Covers the whole exchange, response body included; a slower answer is a failure. */
  timeoutMs?: number;
};

/** The options with their defaults: the root without a trailing slash, the Basic authorization header. */
export function twilioRest(
  options: TwilioRestOptions,
  defaultBaseUrl: string,
): { root: string; authorization: string; fetch: typeof globalThis.fetch; timeoutMs: number } {
  const { accountSid, authToken, baseUrl = defaultBaseUrl, timeoutMs = 10_000 } = options;
  return {
    root: baseUrl.replace(/\/+$/, ''),
    authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs,
  };
}

/** A response body as JSON, or undefined when it is not JSON (a proxy's HTML error page, a cut-off body). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
