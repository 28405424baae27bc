/**
 * An agent's one-to-one texts: send one (the gate answers at once), read one with its history.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import * as z from 'zod';
import { createMessage, getMessage, MAX_BODY_CHARS } from '../../usecases/create-message';
import type { Deps } from '../../usecases/deps';
import { toMessageResponse } from './message-responses';
import { httpHandler, type HttpHandler } from './middleware';
import { phoneNumber } from './schemas';

// With the u flag a valid surrogate pair is one code point, so this matches only lone halves,
// which are not text and which DynamoDB refuses to store.
const LONE_SURROGATE = /\p{Cs}/u;

/** `POST /v1/messages` body: the recipient and the text as the agent typed it. */
export const newMessageBody = z.strictObject({
  to: phoneNumber,
  body: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_BODY_CHARS, `must be at most ${MAX_BODY_CHARS} characters`)
    .refine((text) => !LONE_SURROGATE.test(text), 'must be valid Unicode text'),
});

/** `/v1/messages/{id}` path. */
export const messagePath = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:#-]{1,128}$/, 'not a message id'),
});

/** `POST /v1/messages` 202 body: the first gate run's verdict and its receipt. */
export const messageAcceptedResponse = z.object({
  messageId: z.string(),
  verdict: z.enum(['send', 'hold', 'block']),
  releaseAt: z.string().optional().describe('with `hold`: when the gate runs again'),
  receipt: z
    .looseObject({
      verdict: z.enum(['send', 'hold', 'block']),
      decidedAt: z.string(),
      rulesVersions: z.array(z.string()),
      reasons: z.array(z.string()),
    })
    .describe('the compliance receipt: consent relied on, recipient times, window, caps, content'),
});

/**
 * `POST /v1/messages` → 202 `{messageId, verdict, releaseAt?, receipt}`: `send` (queued; the
 * worker checks again before Twilio), `hold` (until `releaseAt`) or `block` (final; the receipt
 * says why). A suspended agent gets 403 `agent_suspended` and nothing is logged.
 */
export function createCreateMessageHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', body: newMessageBody }, async ({ caller, body }) => ({
    status: 202,
    body: await createMessage(deps, caller.agent, body),
  }));
}

/** `GET /v1/messages/{id}` → the message with its full status history; 404 if not this agent's. */
export function createGetMessageHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', path: messagePath }, async ({ caller, path }) => ({
    status: 200,
    body: toMessageResponse(await getMessage(deps, caller.agent, path.id)),
  }));
}
