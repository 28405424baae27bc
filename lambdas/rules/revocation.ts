import * as z from 'zod';
import en from './data/revocation/en.json';
import es from './data/revocation/es.json';
import fr from './data/revocation/fr.json';
import ko from './data/revocation/ko.json';
import pt from './data/revocation/pt.json';
import tl from './data/revocation/tl.json';
import vi from './data/revocation/vi.json';
import zh from './data/revocation/zh.json';
import { loadRules, versioned } from './schema';

/** One folded word: lower-case letters and digits, no spaces (the classifier folds the text alike). */
const word = z.string().regex(/^[\p{L}\p{N}'_]+$/u, 'a single word');
/** Words, spaces and the joiners the classifier folds away. */
const phrase = z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N} '-]*$/u, "letters, digits, spaces, - and ' only");
/**
 * A pattern over the words of one clause, elements separated by spaces: `a|b|@class` is one
 * word out of several, `x?` an optional word, `*N` up to N words of anything else, `^`/`$`
 * anchor the clause (whose courtesies such as "please" are stripped first). Symbols read as
 * words with an underscore: `emoji_stop` (🛑 ✋ ⛔ 🚫 🙅), `emoji_laugh`, `emoji_party`, `sym_number` (#).
 */
const patternText = z
  .string()
  .regex(/^(\^ )?([\p{L}\p{N}@|'_]+\??|\*[1-6])( ([\p{L}\p{N}@|'_]+\??|\*[1-6]))*( \$)?$/u, 'pattern syntax');

const pattern = z.object({
  /** Named `<language>.<what it hears>`; the ledger records it as the deciding rule. */
  id: z.string().regex(/^[a-z]{2}\.[a-z0-9-]+$/),
  match: patternText,
  certainty: z.enum(['clear', 'likely']),
  /** A negator just before it reverses it ("don't stop sending me listings"). */
  negatable: z.boolean().optional(),
  /** Its object is the texts themselves: a wish to keep other texts does not outweigh it. */
  firm: z.boolean().optional(),
  /** A bare "Stop!": good news in the same message reads it as an exclamation. */
  bare: z.boolean().optional(),
  /** A decline ("No thanks"): a message that keeps the door open is a conversation. */
  soft: z.boolean().optional(),
  /** Word sequences that, right after the match, make it about something else ("opt out of the HOA"). */
  unless: z.array(phrase).optional(),
});

/** Unsegmented scripts (Chinese, Korean): character sequences, `…` standing for up to six characters. */
const sequence = z.object({
  id: z.string().regex(/^[a-z]{2}\.[a-z0-9-]+$/),
  match: z.string().min(1),
  certainty: z.enum(['clear', 'likely']),
  /** Character sequences that, found in the message, make it about something else. */
  unless: z.array(z.string().min(1)).optional(),
});

const lexicon = versioned.extend({
  language: z.enum(['en', 'es', 'zh', 'vi', 'tl', 'ko', 'fr', 'pt']),
  /** Common words of the language: they say which language a text is written in. */
  markers: z.array(word),
  /** Word classes a pattern names as `@class`. */
  classes: z.record(z.string().regex(/^[a-z]+$/), z.array(word).min(1)),
  /** Lexicon words long and distinctive enough to be recognised one typo away. */
  fuzzy: z.array(word),
  /** Real words one typo away from a fuzzy word ("testing" is not "texting"). */
  notFuzzy: z.array(word),
  /** Words that, up to three words before a negatable pattern, reverse it. */
  negators: z.array(word),
  /** Words that, anywhere before a negator, keep the request standing ("if you don't stop…"). */
  conditionals: z.array(word),
  /** Words just before a stop verb that make it a noun ("the end of", "bus stop"). */
  nounMarkers: z.array(word).default([]),
  /** Words a `*N` gap never skips: they start another thought ("stop by and text me"). */
  gapBlockers: z.array(word).default([]),
  /** Politeness and filler stripped from both ends of a clause before anchored patterns. */
  courtesies: z.array(phrase),
  patterns: z.array(pattern),
  sequences: z.array(sequence).default([]),
  /** Patterns of messages that say something else: keep texting, good news, maybe later. */
  signals: z.object({
    keep: z.array(patternText).default([]),
    positive: z.array(patternText).default([]),
    doorOpen: z.array(patternText).default([]),
  }),
  /** The opt-out confirmation in this language; English (messages rules) when absent. */
  optOutConfirmation: z.string().includes('START').includes('{agentName}').optional(),
});

export type RevocationLexicon = z.infer<typeof lexicon>;
export type RevocationPattern = z.infer<typeof pattern>;
export type Language = RevocationLexicon['language'];

/** How people ask to stop being texted, one lexicon per language (RULES §2, FCC 24-24). */
export const revocationLexicons: readonly RevocationLexicon[] = [en, es, zh, vi, tl, ko, fr, pt].map((data) =>
  loadRules(`revocation/${String((data as { language?: unknown }).language)}`, lexicon, data),
);

/** The version of the revocation lexicons as a whole: every language's own version, in order. */
export const revocationVersion = `revocation/${revocationLexicons
  .map((one) => one.version.replace(/^revocation-/, ''))
  .join('+')}`;
