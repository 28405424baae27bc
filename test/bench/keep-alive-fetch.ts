import { Agent, request } from 'node:http';

/** A `fetch` on node:http and the agent behind it. */
export type KeepAliveFetch = { fetch: typeof globalThis.fetch; close(): void };

/**
 * A `fetch` for the bench's webhook calls on node:http with a keep-alive agent: the same HTTP
 * stack the AWS SDK's handler uses for the raw PutItem a webhook is compared with. Node's global
 * fetch (undici) spends about 1 ms of CPU a call in this process on its web streams, which is
 * the caller's cost (Twilio's, for a webhook), not the webhook's. Enough for plain HTTP posts
 * and gets: a string body, headers as an object or `Headers`, the status and the text.
 */
export function keepAliveFetch(): KeepAliveFetch {
  const agent = new Agent({ keepAlive: true });
  const fetchOverHttp = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = typeof init.body === 'string' ? init.body : init.body == null ? '' : String(init.body);
    const headers =
      init.headers instanceof Headers
        ? Object.fromEntries(init.headers.entries())
        : { ...(init.headers as Record<string, string> | undefined) };
    headers['content-length'] = String(Buffer.byteLength(body));
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        String(input instanceof Request ? input.url : input),
        { method: init.method ?? 'GET', agent, headers, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    // A 204 or 304 cannot carry a body in a Response.
    return new Response(status === 204 || status === 304 ? null : text, { status });
  };
  return { fetch: fetchOverHttp as typeof globalThis.fetch, close: () => agent.destroy() };
}
