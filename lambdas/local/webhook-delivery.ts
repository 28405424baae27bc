import { signTwilioRequest } from '../adapters/twilio/signature';

/**
 * Twilio's connection overrides, read from a webhook URL's fragment
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides): `ct` connect
 * timeout (ms, default 5000), `rt` read timeout (default 15000), `tt` total time for every
 * attempt (default 15000), `rc` retries (0–5, default 1) and `rp` which failures are retried
 * (`4xx`, `5xx`, `ct`, `rt` or `all`; default `ct`: only a connection that could not be made).
 */
export type ConnectionOverrides = { ct: number; rt: number; tt: number; rc: number; rp: Set<FailureClass> };

/** Why an attempt failed, in the words of the `rp` override. */
export type FailureClass = '4xx' | '5xx' | 'ct' | 'rt';

const DEFAULTS = { ct: 5_000, rt: 15_000, tt: 15_000, rc: 1 };
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** The URL as Twilio calls it (no fragment: it is never sent) and the overrides its fragment asks for. */
export function parseWebhookUrl(configured: string): { url: string; overrides: ConnectionOverrides } {
  const hash = configured.indexOf('#');
  const url = hash < 0 ? configured : configured.slice(0, hash);
  const fragment = new URLSearchParams(hash < 0 ? '' : configured.slice(hash + 1));
  const number = (key: keyof typeof DEFAULTS, min: number, max: number) => {
    const raw = Number(fragment.get(key));
    return fragment.has(key) && Number.isFinite(raw) ? clamp(raw, min, max) : DEFAULTS[key];
  };
  const policy = (fragment.get('rp') ?? 'ct').split(',').map((part) => part.trim());
  const rp = new Set<FailureClass>(
    policy.includes('all')
      ? ['4xx', '5xx', 'ct', 'rt']
      : policy.filter((part): part is FailureClass => ['4xx', '5xx', 'ct', 'rt'].includes(part)),
  );
  return {
    url,
    overrides: {
      ct: number('ct', 100, 10_000),
      rt: number('rt', 100, 15_000),
      tt: number('tt', 100, 15_000),
      rc: number('rc', 0, 5),
      rp,
    },
  };
}

/** One attempt at a webhook: the HTTP status, or the failure class of an attempt without one. */
export type WebhookAttempt = { url: string; answer: number | 'ct' | 'rt'; body?: string };

/**
 * Posts a signed form to a configured webhook URL the way Twilio does: signed over the URL it
 * calls, retried only as the URL's overrides allow, within their total time. Resolves to every
 * attempt; the last one is the answer that counts.
 */
export async function deliverWebhook(input: {
  configuredUrl: string;
  params: Record<string, string>;
  authToken: string;
  fetch?: typeof globalThis.fetch;
}): Promise<WebhookAttempt[]> {
  const { url, overrides } = parseWebhookUrl(input.configuredUrl);
  const fetchFn = input.fetch ?? globalThis.fetch;
  const attempts: WebhookAttempt[] = [];
  const started = Date.now();
  for (let attempt = 0; attempt <= overrides.rc; attempt++) {
    const left = overrides.tt - (Date.now() - started);
    if (left <= 0) break;
    const result = await attemptOnce(fetchFn, url, input, Math.min(overrides.rt, left));
    attempts.push(result);
    const failure = failureClass(result.answer);
    if (failure === undefined || !overrides.rp.has(failure)) break;
  }
  return attempts;
}

/** The class of a failed answer, or undefined for a 2xx/3xx (a success). */
export function failureClass(answer: WebhookAttempt['answer']): FailureClass | undefined {
  if (answer === 'ct' || answer === 'rt') return answer;
  if (answer >= 500) return '5xx';
  if (answer >= 400) return '4xx';
  return undefined;
}

async function attemptOnce(
  fetchFn: typeof globalThis.fetch,
  url: string,
  input: { params: Record<string, string>; authToken: string },
  timeoutMs: number,
): Promise<WebhookAttempt> {
  try {
    const response = await fetchFn(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest({ authToken: input.authToken, url, params: input.params }),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(input.params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { url, answer: response.status, body: await response.text() };
  } catch (error) {
    // fetch cannot tell a slow connect from a slow answer; a timeout is a read timeout here.
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    return { url, answer: name === 'TimeoutError' ? 'rt' : 'ct' };
  }
}
