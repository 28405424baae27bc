/**
 * `GET /v1/time`: what time it is for the API. Clients use it for "now" so a test clock (the
 * local runtime) and the deployed clock are both honoured, never the caller's own machine.
 */
import * as z from 'zod';
import type { Deps } from '../../usecases/deps';
import { httpHandler, type HttpHandler } from './middleware';

export const timeResponse = z.object({ now: z.string().describe('the API clock, ISO-8601 UTC') });

/** `GET /v1/time` → `{now}`; no key needed. */
export function createTimeHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'none' }, async () => ({
    status: 200,
    body: { now: deps.clock.now().toISOString() } satisfies z.infer<typeof timeResponse>,
  }));
}
