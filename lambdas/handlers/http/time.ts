/**
 * `GET /v1/time`: what time it is for the API. Clients use it for "now" so a test clock (the
 * local runtime) and the deployed clock are both honoured, never the caller's own machine.
 */
import * as z from 'zod';
import { defineRoute, ok } from './route';

export const timeResponse = z.object({ now: z.string().describe('the API clock, ISO-8601 UTC') });

/** `GET /v1/time` → `{now}`; no key needed. */
export const timeRoute = /* @__PURE__ */ defineRoute({
  key: 'time.get',
  route: 'GET /v1/time',
  summary: 'The API clock: what "now" means for every request (a test clock locally)',
  options: { auth: 'none' },
  responses: { 200: { description: 'the time', schema: timeResponse } },
  // The server's clock (the test clock locally): no data at all
  access: { reads: [], writes: [] },
  handle: async (deps) => ok({ now: deps.clock.now().toISOString() } satisfies z.infer<typeof timeResponse>),
});
