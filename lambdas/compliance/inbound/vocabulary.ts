import { squeeze } from './fold';

/** A folded input word read as the lexicon word it stands for; `fuzzy` when a typo was corrected. */
export type Reading = { word: string; fuzzy: boolean };

const MIN_FUZZY_LENGTH = 5;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/**
 * Reads each input word as a lexicon word: exactly, with repeated letters collapsed
 * ("stopp"), or one edit away (insertion, deletion, substitution, transposition) from a word
 * the lexicons mark as distinctive enough ("unsuscribe" → unsubscribe). Words the lexicons know
 * as real words of their own ("testing") are never corrected.
 */
export class Vocabulary {
  private readonly known: Set<string>;
  private readonly squeezed = new Map<string, string>();
  private readonly fuzzyWords: Set<string>;
  private readonly oneDeleted = new Map<string, string>();
  private readonly longest: number;

  constructor(known: Iterable<string>, fuzzy: Iterable<string>) {
    this.known = new Set(known);
    for (const word of this.known) {
      const short = squeeze(word);
      if (!this.known.has(short) && !this.squeezed.has(short)) this.squeezed.set(short, word);
    }
    this.fuzzyWords = new Set([...fuzzy].filter((word) => word.length >= MIN_FUZZY_LENGTH));
    this.longest = Math.max(0, ...[...this.fuzzyWords].map((word) => word.length));
    for (const word of this.fuzzyWords) {
      for (const variant of deletions(word)) if (!this.oneDeleted.has(variant)) this.oneDeleted.set(variant, word);
    }
  }

  /** Whether the word is in some lexicon as spelled. */
  has(word: string): boolean {
    return this.known.has(word);
  }

  /** The lexicon word this input word stands for, or the word itself when none. */
  read(word: string): Reading {
    if (this.known.has(word)) return { word, fuzzy: false };
    const short = squeeze(word);
    if (this.known.has(short)) return { word: short, fuzzy: false };
    const unsqueezed = this.squeezed.get(short);
    if (unsqueezed !== undefined) return { word: unsqueezed, fuzzy: false };
    if (short.length < MIN_FUZZY_LENGTH - 1 || short.length > this.longest + 1) return { word, fuzzy: false };
    const corrected = this.correct(short) ?? (short === word ? undefined : this.correct(word));
    return corrected === undefined ? { word, fuzzy: false } : { word: corrected, fuzzy: true };
  }

  private correct(word: string): string | undefined {
    if (this.fuzzyWords.has(word)) return word;
    const inserted = this.oneDeleted.get(word);
    if (inserted !== undefined) return inserted;
    if (word.length < MIN_FUZZY_LENGTH) return undefined;
    for (const variant of deletions(word)) {
      if (this.fuzzyWords.has(variant)) return variant;
      const substituted = this.oneDeleted.get(variant);
      if (substituted !== undefined) return substituted;
    }
    return undefined;
  }
}
