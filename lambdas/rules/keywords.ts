import * as z from 'zod';
import data from './data/keywords.json';
import { loadRules, versioned } from './schema';

/** Words, spaces and the joiners the classifier folds away (OPT-OUT, don't). */
const phrase = z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} '-]*$/u, "letters, digits, spaces, - and ' only");

const schema = versioned.extend({
  optOut: z.array(phrase).min(1),
  optIn: z.array(phrase).min(1),
  help: z.array(phrase).min(1),
});

export type KeywordRules = z.infer<typeof schema>;

/** Inbound keyword lists (RULES §2); natural-language revocations are in `revocation.ts`. */
export const keywordRules = loadRules('keywords', schema, data);
