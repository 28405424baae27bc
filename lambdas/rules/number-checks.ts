import * as z from 'zod';
import data from './data/number-checks.json';
import { loadRules, versioned } from './schema';

const schema = versioned.extend({
  /** A reassigned-number answer older than this is asked again before the next automated text. */
  recheckAfterDays: z.number().int().positive(),
  /** A check that fails holds the text: retried with doubling delays, then a human looks. */
  retry: z.object({
    firstDelayMinutes: z.number().int().positive(),
    maxDelayMinutes: z.number().int().positive(),
    giveUpAfterHours: z.number().int().positive(),
  }),
  /** NANP toll-free codes: never a contact's number (RULES §3). */
  tollFreeAreaCodes: z.array(z.string().regex(/^8\d\d$/)).min(1),
  /** Lookup `line_type_intelligence` types: which may get texts, and why the others may not. */
  lineTypes: z.object({
    allowed: z.array(z.string().min(1)).min(1),
    refused: z.record(z.string().min(1), z.string().min(1)),
  }),
});

export type NumberCheckRules = z.infer<typeof schema>;

/** When a phone's reassignment and line type are (re)checked and what each answer means (RULES §1, §3). */
export const numberCheckRules = loadRules('number-checks', schema, data);
