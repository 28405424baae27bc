/**
 * Admin routes for state-of-emergency blackouts (RULES §3): declare one, list them, end one
 * early. While one lasts, automated texts to recipients who may be in its states are held.
 */
import * as z from 'zod';
import { blackoutRules } from '../../rules/blackouts';
import { declareBlackout, endBlackout, listBlackouts } from '../../usecases/blackouts';
import { created, defineRoute, ok } from './route';
import { freeText, isoInstant } from './schemas';

const MAX_REASON_CHARS = 500;
const MAX_STATES = 60;

const by = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .optional()
  .describe('who asks: the operator’s name, recorded with the change (default "admin")');

/**
 * `POST /v1/admin/blackouts` body. Only the shape is checked here (400); the rules — known
 * states, end after start, the longest period, a reason — are the use case's (422 naming each).
 */
export const declareBlackoutBody = z.strictObject({
  states: z
    .array(z.string().max(8))
    .max(MAX_STATES)
    .describe('USPS state or territory codes, e.g. ["LA", "MS"]')
    .meta({ examples: [['LA', 'MS']] }),
  start: isoInstant.describe('when it starts: an ISO instant with its offset'),
  end: isoInstant.describe(
    `when it ends (exclusive), after start, at most ${blackoutRules.maxDays} days later`,
  ),
  reason: freeText(MAX_REASON_CHARS).describe(
    'why: the declaration it follows, in words an auditor will read',
  ),
  by,
});

/** `POST /v1/admin/blackouts/{id}/end` body. */
export const endBlackoutBody = z.strictObject({
  reason: freeText(MAX_REASON_CHARS).describe('why it ends early, recorded (422 when empty)'),
  by,
});

export const blackoutPath = z.strictObject({
  id: z.string().regex(/^blk_[a-f0-9]{32}$/, 'not a blackout id'),
});

export const blackoutListQuery = z.strictObject({
  active: z.literal('now').optional().describe('`now`: only the blackouts in force now'),
});

const blackoutEnd = z.object({
  blackoutId: z.string(),
  endedAt: z.string(),
  reason: z.string(),
  endedBy: z.string(),
});

/** A blackout as every route returns it. */
export const blackoutResponse = z.object({
  blackoutId: z.string(),
  states: z.array(z.string()),
  start: z.string(),
  end: z.string().describe('the declared end (exclusive)'),
  reason: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  ended: blackoutEnd.optional().describe('when an admin ended it early: when, why, who'),
  effectiveEnd: z.string().describe('when it stops holding texts: the declared end or the early end'),
  status: z.enum(['active', 'upcoming', 'over']).describe('at the API clock’s now'),
});

export const blackoutListResponse = z.object({ blackouts: z.array(blackoutResponse) });

/** `POST /v1/admin/blackouts/{id}/end` 200 body. */
export const blackoutEndedResponse = blackoutResponse.extend({
  requeued: z
    .number()
    .describe('held texts that waited for it, put back on the queue to be decided again now'),
});

/** `POST /v1/admin/blackouts` → 201 with the stored blackout; 422 naming each broken rule, nothing written. */
export const declareBlackoutRoute = /* @__PURE__ */ defineRoute({
  key: 'blackouts.declare',
  route: 'POST /v1/admin/blackouts',
  summary:
    'Declare a state-of-emergency blackout: automated texts to recipients who may be in its states are held until it ends',
  options: { auth: 'admin', body: declareBlackoutBody },
  responses: {
    201: { description: 'stored (put once, never changed)', schema: blackoutResponse },
    422: '`invalid_blackout`: no state, an unknown state or territory code, end not after start or not in the future, a period over 60 days, or no reason; `issues` names each field; nothing is written',
  },
  // A declaration is put once (append-only)
  access: { reads: ['agents', 'blackouts', 'counters'], writes: ['blackouts', 'counters'] },
  handle: async (deps, { body }) => created(await declareBlackout(deps, body)),
});

/** `GET /v1/admin/blackouts[?active=now]` → 200 `{blackouts}`: in force first, then to come, then over. */
export const listBlackoutsRoute = /* @__PURE__ */ defineRoute({
  key: 'blackouts.list',
  route: 'GET /v1/admin/blackouts',
  summary: 'Every blackout: in force first, then those to come, then those over',
  options: { auth: 'admin', query: blackoutListQuery },
  responses: { 200: { description: 'the blackouts', schema: blackoutListResponse } },
  access: { reads: ['agents', 'blackouts'], writes: [] },
  handle: async (deps, { query }) =>
    ok({ blackouts: await listBlackouts(deps, { activeNow: query.active === 'now' }) }),
});

/**
 * `POST /v1/admin/blackouts/{id}/end` `{reason}` → 200 with the blackout, its end and how many
 * held texts went back on the queue; 404, 409, 422.
 */
export const endBlackoutRoute = /* @__PURE__ */ defineRoute({
  key: 'blackouts.end',
  route: 'POST /v1/admin/blackouts/{id}/end',
  summary: 'End a blackout early, from now, with a reason (recorded next to the declaration, which stays)',
  options: { auth: 'admin', path: blackoutPath, body: endBlackoutBody },
  responses: {
    200: { description: 'ended; the texts it held are decided again', schema: blackoutEndedResponse },
    404: '`not_found`: no such blackout',
    409: '`already_ended` or `already_over`',
    422: '`invalid_blackout_end`: no reason; nothing is written',
  },
  // The end is put once, next to the declaration; the texts it held go back on the queue (read
  // from the sparse release index)
  access: { reads: ['agents', 'blackouts', 'messages'], writes: ['blackouts', 'counters'], enqueues: true },
  handle: async (deps, { path, body }) => ok(await endBlackout(deps, path.id, body)),
});
