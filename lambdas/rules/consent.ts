import * as z from 'zod';
import data from './data/consent.json';
import { loadRules, versioned } from './schema';

const methodName = z.string().regex(/^[a-z][a-z_]*$/, 'snake_case method name');

/** An EBR lasts whole calendar months from the event that starts it (RULES §1). */
const ebrWindow = z.object({ months: z.int().positive(), from: z.string().min(1) });

export const consentRulesSchema = versioned
  .extend({
    /** Methods intake may record as `express_written`, each with a one-line description. */
    accepted: z.record(methodName, z.string().min(1)),
    /** Methods that are not consent, each with the reason shown to the agent. */
    refused: z.record(methodName, z.string().min(1)),
    ebr: z.object({ ebr_transaction: ebrWindow, ebr_inquiry: ebrWindow }),
  })
  .refine(
    (rules) => Object.keys(rules.accepted).every((method) => !Object.hasOwn(rules.refused, method)),
    'a method cannot be both accepted and refused',
  );
export type ConsentRules = z.infer<typeof consentRulesSchema>;

/** Consent methods and EBR windows (RULES §1). */
export const consentRules = loadRules('consent', consentRulesSchema, data);
