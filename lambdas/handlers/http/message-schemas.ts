/**
 * The schemas of a one-to-one text: what an agent sends, a message's path, the gate's first answer.
 * Apart from the routes, so other routes document them without bundling the send path.
 */
import * as z from 'zod';
import { MAX_BODY_CHARS } from '../../usecases/create-message';
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
