import * as z from 'zod';
import data from './data/consent.json';
import { loadTimeline, versioned } from './schema';

const methodName = z.string().regex(/^[a-z][a-z_]*$/, 'snake_case method name');
const methods = z.record(methodName, z.string().min(1));

/** An EBR lasts whole calendar months from the event that starts it (RULES §1). */
const ebrWindow = z.object({ months: z.int().positive(), from: z.string().min(1) });

export const consentRulesSchema = versioned
  .extend({
    /** Methods that are written consent (`express_written`), each with a one-line description. */
    written: methods,
    /** Methods that are real but oral consent (`express_oral`): manual texts and a consent request only. */
    oral: methods,
    /** Methods that are not consent, each with the reason shown to the agent. */
    refused: methods,
    ebr: z.object({ ebr_transaction: ebrWindow, ebr_inquiry: ebrWindow }),
    /** At most one open consent request per contact within this many days. */
    consentRequest: z.object({ perDays: z.int().positive() }),
    /** FCC revoke-all: a revocation on any channel revokes every channel of the agent's consent. */
    revokeAll: z.boolean(),
  })
  .refine(
    (rules) =>
      [rules.written, rules.oral, rules.refused].every((group, index, all) =>
        Object.keys(group).every((method) =>
          all.every((other, j) => j === index || !Object.hasOwn(other, method)),
        ),
      ),
    'a method belongs to exactly one of written, oral and refused',
  );
export type ConsentRules = z.infer<typeof consentRulesSchema>;

/** Consent methods, EBR windows and revocation scope over time (RULES §1). */
export const consentTimeline = loadTimeline('consent', consentRulesSchema, data);

/** The consent rules in force now; use `consentTimeline.at(instant)` where the instant matters. */
export const consentRules = consentTimeline.versions[0]!.rules;
