import { squeeze } from './fold';

/** A folded input word read as the lexicon word it stands for; `fuzzy` when a typo was corrected. */
export type Reading = { word: string; fuzzy: boolean };

const MIN_FUZZY_LENGTH = 5;
// Words repeat across texts (a few thousand make most of what people write), and a reading
// never changes for a given lexicon; past this many distinct words the memo starts over.
const MEMO_LIMIT = 20_000;

/** Which letters a word holds, one bit each (anything else shares one bit). */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i) - 0x61;
    mask |= 1 << (code >= 0 && code < 26 ? code : 26);
  }
  return mask;
}

function bitCount(value: number): number {
  let count = 0;
  for (let rest = value; rest !== 0; rest &= rest - 1) count++;
  return count;
}

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
  private readonly shapes: Array<{ length: number; mask: number }>;
  private readonly memo = new Map<string, Reading>();

  constructor(known: Iterable<string>, fuzzy: Iterable<string>) {
    this.known = new Set(known);
    for (const word of this.known) {
      const short = squeeze(word);
      if (!this.known.has(short) && !this.squeezed.has(short)) this.squeezed.set(short, word);
    }
    this.fuzzyWords = new Set([...fuzzy].filter((word) => word.length >= MIN_FUZZY_LENGTH));
    this.longest = Math.max(0, ...[...this.fuzzyWords].map((word) => word.length));
    this.shapes = [...this.fuzzyWords].map((word) => ({ length: word.length, mask: letterMask(word) }));
    for (const word of this.fuzzyWords) {
      for (const variant of deletions(word))
        if (!this.oneDeleted.has(variant)) this.oneDeleted.set(variant, word);
    }
  }

  /** Whether the word is in some lexicon as spelled. */
  has(word: string): boolean {
    return this.known.has(word);
  }

  /** The lexicon word this input word stands for, or the word itself when none. */
  read(word: string): Reading {
    const known = this.memo.get(word);
    if (known !== undefined) return known;
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    const reading = this.readAfresh(word);
    this.memo.set(word, reading);
    return reading;
  }

  private readAfresh(word: string): Reading {
    if (this.known.has(word)) return { word, fuzzy: false };
    const short = squeeze(word);
    if (this.known.has(short)) return { word: short, fuzzy: false };
    const unsqueezed = this.squeezed.get(short);
    if (unsqueezed !== undefined) return { word: unsqueezed, fuzzy: false };
    if (short.length < MIN_FUZZY_LENGTH - 1 || short.length > this.longest + 1) return { word, fuzzy: false };
    const corrected = this.correct(short) ?? (short === word ? undefined : this.correct(word));
    return corrected === undefined ? { word, fuzzy: false } : { word: corrected, fuzzy: true };
  }

  /** One edit changes the length by at most one and at most two letters of the letter set. */
  private mayBeOneEditFromAny(word: string): boolean {
    const mask = letterMask(word);
    return this.shapes.some(
      (shape) => Math.abs(shape.length - word.length) <= 1 && bitCount(shape.mask ^ mask) <= 2,
    );
  }

  private correct(word: string): string | undefined {
    if (this.fuzzyWords.has(word)) return word;
    if (!this.mayBeOneEditFromAny(word)) return undefined;
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
