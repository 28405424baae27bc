import * as z from 'zod';
import data from './data/keywords.json';
import { loadRules, versioned } from './schema';

/** Words, spaces and the joiners the classifier folds away (OPT-OUT, don't). */
const phrase = z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} '-]*$/u, "letters, digits, spaces, - and ' only");

const schema = versioned.extend({
  optOut: z.array(phrase).min(1),
  /**
   * Single opt-out words that still revoke at the end of a short clause of words no lexicon
   * knows ("Bitte STOP"). Everyday English words (END, QUIT, CANCEL, REMOVE) are not listed: they
   * end ordinary clauses too, so alone after unknown words they say too little.
   */
  afterUnknownWords: z.array(z.string().regex(/^[\p{L}\p{N}]+$/u, 'one word')).min(1),
  optIn: z.array(phrase).min(1),
  help: z.array(phrase).min(1),
});

export type KeywordRules = z.infer<typeof schema>;

/** Inbound keyword lists (RULES §2); natural-language revocations are in `revocation.ts`. */
export const keywordRules = loadRules('keywords', schema, data);

// Each word that revokes after unknown words is an opt-out keyword itself.
for (const word of keywordRules.afterUnknownWords) {
  if (!keywordRules.optOut.includes(word))
    throw new Error(`keywords: afterUnknownWords ${word} is not in optOut`);
}
