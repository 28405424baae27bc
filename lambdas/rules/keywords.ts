import * as z from 'zod';
import data from './data/keywords.json';
import { loadRules, versioned } from './schema';

/** Words, spaces and the joiners the classifier folds away (OPT-OUT, don't). */
const phrase = z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} '-]*$/u, "letters, digits, spaces, - and ' only");
const word = z.string().regex(/^[\p{L}']+$/u, 'a single word');
const byLanguage = z.object({ en: z.array(phrase).min(1), es: z.array(phrase).min(1) });

const schema = versioned.extend({
  optOut: z.array(phrase).min(1),
  optIn: z.array(phrase).min(1),
  help: z.array(phrase).min(1),
  revocation: z.object({
    /** Revocations only when they are a whole clause ("No más." but not "¿No más de 300 mil?"). */
    standalone: byLanguage,
    /** Revocations wherever they stand in a clause, unless negated ("don't stop sending"). */
    anywhere: byLanguage,
    /** Politeness stripped from both ends of a clause before a standalone match ("stop please"). */
    courtesies: z.array(phrase),
    negation: z.object({
      /** How many words before a phrase can reverse it. */
      window: z.number().int().min(1).max(6),
      /** "don't stop sending me listings" keeps the texts coming. */
      negators: z.array(word),
      /** "did you stop sending?" asks about the past rather than for a stop. */
      questions: z.array(word),
      /** "if you don't stop texting me…" is a threat: the negation does not reverse the request. */
      conditionals: z.array(word),
    }),
  }),
});

export type KeywordRules = z.infer<typeof schema>;

/** Inbound keyword lists and natural-language revocation phrases (RULES §2). */
export const keywordRules = loadRules('keywords', schema, data);
