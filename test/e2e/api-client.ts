/** A tiny HTTP helper for end-to-end tests: JSON in, status and JSON out. */
export type Reply = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A call to the API: `key` is sent as bearer, `body` as JSON. */
export type ApiCall = (method: string, path: string, key?: string, body?: unknown) => Promise<Reply>;

export function httpClient(baseUrl: string): ApiCall {
  return async function call(method: string, path: string, key?: string, body?: unknown): Promise<Reply> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (TwiML, plain text): keep the text.
    }
    return { status: response.status, body: parsed };
  };
}
