import { contentRules } from '../rules/content';
import { gsm7Septets } from './gsm7';

/**
 * SHAFT flags for an outbound body (RULES §4). The patterns decide; in front of them a word screen
 * clears most texts in one pass over the lower-cased body, because the gate runs on every text and
 * the patterns (Unicode look-arounds over every term) cost several times a whole decision.
 */

function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Lower case without accents; plain ASCII needs no Unicode folding. */
export const fold = (text: string): string =>
  isPlainAscii(text) ? text.toLowerCase() : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole words only ("class" is not "ass"), words joined by space, hyphen or nothing, plural implied. */
const wholeTerms = (terms: readonly string[], flags: string): RegExp =>
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${terms
      .map((term) =>
        term
          .split(/[\s-]+/)
          .map(escapeRegExp)
          .join('[\\s-]*'),
      )
      .join('|')})(?:e?s)?(?![\\p{L}\\p{N}])`,
    flags,
  );

const exempt = wholeTerms(contentRules.shaft.exempt, 'gu');
const shaftCategories = Object.entries(contentRules.shaft.categories).map(([category, terms]) => ({
  category,
  pattern: wholeTerms(terms, 'u'),
}));
// One pass over the text for every category at once; the per-category patterns name the hit.
const anyShaftTerm = wholeTerms(Object.values(contentRules.shaft.categories).flat(), 'u');

/**
 * SHAFT categories by the patterns alone, without the word screen in front of them. Exported so
 * a property test can hold the screen to it: the screen may let through, never hold back.
 */
export function shaftFlagsByPatterns(folded: string): string[] {
  const text = folded.replace(exempt, ' ');
  if (!anyShaftTerm.test(text)) return [];
  return shaftCategories
    .filter(({ pattern }) => pattern.test(text))
    .map(({ category }) => category)
    .sort();
}

// A term can only match where its words stand, in order, as words of the text, so most texts
// are cleared by word lookups without running a pattern at all. The patterns let a term's words
// be written apart or together ("ar 15", "ar-15", "ar15"), so every way of joining them is
// listed, keyed by its first word. Over-matching is fine (the patterns decide); missing a term is not.
const shaftWordRuns = new Map<string, string[][]>();
for (const term of Object.values(contentRules.shaft.categories).flat()) {
  for (const run of joinings(fold(term).split(/[\s-]+/))) {
    const [first, ...rest] = run as [string, ...string[]];
    shaftWordRuns.set(first, [...(shaftWordRuns.get(first) ?? []), rest]);
  }
}

/** Every way of writing `parts` with some neighbours joined: ['a','b'] → [['a','b'], ['ab']]. */
function joinings(parts: string[]): string[][] {
  if (parts.length <= 1) return [parts];
  const [head, ...tail] = parts as [string, ...string[]];
  return joinings(tail).flatMap(([next, ...rest]) => [
    [head, next!, ...rest],
    [head + next!, ...rest],
  ]);
}

/** `word` is `expected`, or its plural (the patterns allow "s"/"es" after a whole term). */
const sameWord = (word: string | undefined, expected: string, last: boolean): boolean =>
  word === expected || (last && (word === `${expected}s` || word === `${expected}es`));

/** Every first word of a SHAFT term, also with the plural endings the patterns allow. */
const shaftFirstWords = new Set<string>();
for (const first of shaftWordRuns.keys()) {
  shaftFirstWords.add(first);
  shaftFirstWords.add(`${first}s`);
  shaftFirstWords.add(`${first}es`);
}

const isAsciiWordCode = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);

/**
 * What an ASCII word that is a first word (or its plural) may start: `whole` when it is a one-word
 * term by itself, else the rest of each longer run to compare with the words that follow.
 */
type FirstWord = { whole: boolean; rests: string[][] };

// The first words as a trie over a–z and 0–9, walked while the body is scanned, so a word is
// looked up without being cut out of the text. Words with other characters can never equal an
// ASCII run of the text and are left to the Set (read for runs holding other characters).
const ALPHABET = 36;
const letterIndex = new Int8Array(128).fill(-1);
// Upper-case letters share their lower-case letter's slot: the body is read as lower-cased.
for (let code = 0x61; code <= 0x7a; code++) letterIndex[code] = letterIndex[code - 0x20] = code - 0x61;
for (let code = 0x30; code <= 0x39; code++) letterIndex[code] = 26 + code - 0x30;
const trieNext: number[] = new Array<number>(ALPHABET).fill(-1);
const trieWords: Array<FirstWord | undefined> = [undefined];

for (const word of shaftFirstWords) {
  if (![...word].every((char) => isAsciiWordCode(char.charCodeAt(0)))) continue;
  let node = 0;
  for (let i = 0; i < word.length; i++) {
    const slot = node * ALPHABET + letterIndex[word.charCodeAt(i)]!;
    if (trieNext[slot] === -1) {
      trieNext[slot] = trieWords.length;
      trieWords.push(undefined);
      for (let k = 0; k < ALPHABET; k++) trieNext.push(-1);
    }
    node = trieNext[slot]!;
  }
  trieWords[node] = firstWordOf(word);
}
const trie = Int32Array.from(trieNext);

/** What `word` may start, read off the runs the same way `mayHaveShaftTerm` reads them. */
function firstWordOf(word: string): FirstWord {
  const runs = shaftWordRuns.get(word) ?? [];
  // A plural first word can only be a whole one-word term.
  const singular = [word.endsWith('s') ? word.slice(0, -1) : '', word.endsWith('es') ? word.slice(0, -2) : '']
    .filter((stem) => stem !== '')
    .flatMap((stem) => shaftWordRuns.get(stem) ?? []);
  return {
    whole: runs.some((rest) => rest.length === 0) || singular.some((rest) => rest.length === 0),
    rests: runs.filter((rest) => rest.length > 0),
  };
}

// Read through a module-local binding: a module loader that keeps imports live (a CommonJS
// transform) would otherwise go through an accessor for every character.
const septetsOf: Uint8Array = gsm7Septets;

// The words of the body last scanned, reused from call to call: start, end and trie node of each.
let bounds = new Int32Array(384);

/**
 * What one pass over a body finds: its GSM-7 tally (for the segment count) and whether any of its
 * words can start a SHAFT term. The gate reads every body once, so both come from the same pass.
 */
export type BodyScan = {
  /** A character outside GSM-7 is present. */
  unencodable: boolean;
  /** GSM-7 extension characters (two septets each). */
  extensions: number;
  ascii: boolean;
  /** Some word is a first word of a term (or its plural). */
  shaftCandidate: boolean;
  /** Plain ASCII words found, in `bounds`. */
  words: number;
};

/**
 * Scans `body` once. Words are runs of letters, digits and any character beyond ASCII, read as
 * the lower-cased body's would be (ASCII letters fold alone; a run holding another character is
 * lower-cased and folded on its own, which gives its words as the whole text's folding would).
 */
export function scanBody(body: string): BodyScan {
  let unencodable = false;
  let extensions = 0;
  let ascii = true;
  let candidate = false;
  let start = -1;
  let wide = false;
  let node = 0;
  scanned = 0;
  const length = body.length;
  for (let i = 0; i < length; i++) {
    const code = body.charCodeAt(i);
    if (code < 0x80) {
      const kind = asciiKinds[code]!;
      if (kind >= 0) {
        if (start < 0) {
          start = i;
          node = 0;
        }
        if (node >= 0) node = trie[node * ALPHABET + kind]!;
        continue;
      }
      if (kind === EXTENSION) extensions++;
      else if (kind === UNENCODABLE) unencodable = true;
      if (start >= 0) {
        if (endWord(body, start, i, wide, node)) candidate = true;
        start = -1;
        wide = false;
      }
      continue;
    }
    const septets = septetsOf[code]!;
    if (septets !== 1) {
      if (septets === 0) unencodable = true;
      else extensions++;
    }
    ascii = false;
    if (start < 0) start = i;
    wide = true;
  }
  if (start >= 0 && endWord(body, start, length, wide, node)) candidate = true;
  lastScan = { unencodable, extensions, ascii, shaftCandidate: candidate, words: scanned };
  return lastScan;
}

/** The scan whose words `bounds` holds. */
let lastScan: BodyScan | undefined;

/** Plain ASCII words the current scan has put in `bounds`. */
let scanned = 0;
const EXTENSION = -2;
const UNENCODABLE = -3;
const NOT_WORD = -1;
/** ASCII characters: a letter's or digit's trie slot, else how GSM-7 takes the character. */
const asciiKinds = new Int8Array(128);
for (let code = 0; code < 128; code++) {
  const slot = letterIndex[code]!;
  const septets = gsm7Septets[code]!;
  // A letter's slot stands for one septet too: every ASCII letter and digit is in GSM-7's basic table.
  if (slot >= 0 && septets !== 1) throw new Error(`GSM-7 table: ${String.fromCharCode(code)} must be basic`);
  asciiKinds[code] = slot >= 0 ? slot : septets === 2 ? EXTENSION : septets === 0 ? UNENCODABLE : NOT_WORD;
}

/** Ends the run `body[start, end)`: whether it may start a term; an ASCII word's bounds are kept. */
function endWord(body: string, start: number, end: number, wide: boolean, node: number): boolean {
  if (wide) return wideRunHasFirstWord(body.slice(start, end));
  if (3 * scanned + 3 > bounds.length) {
    const grown = new Int32Array(bounds.length * 2);
    grown.set(bounds);
    bounds = grown;
  }
  bounds[3 * scanned] = start;
  bounds[3 * scanned + 1] = end;
  bounds[3 * scanned + 2] = node;
  scanned++;
  return node >= 0 && trieWords[node] !== undefined;
}

// Words beyond ASCII recur from text to text ("cuánto", "¿quiere", an emoji) and folding one
// costs more than the rest of its text's scan: each short run's answer is kept.
const wideRunAnswers = new Map<string, boolean>();
const MAX_WIDE_RUNS = 10_000;
const MAX_KEPT_RUN_LENGTH = 40;

function wideRunHasFirstWord(run: string): boolean {
  let answer = wideRunAnswers.get(run);
  if (answer === undefined) {
    answer = fold(run.toLowerCase())
      .split(nonWord)
      .some((word) => shaftFirstWords.has(word));
    if (run.length <= MAX_KEPT_RUN_LENGTH) {
      if (wideRunAnswers.size >= MAX_WIDE_RUNS) wideRunAnswers.clear();
      wideRunAnswers.set(run, answer);
    }
  }
  return answer;
}

/**
 * SHAFT categories of `body`, given its `scan` and `lower` (`body.toLowerCase()`, shared with the
 * other screens). A text none of whose words can start a term is cleared by the scan. A plain
 * ASCII text is then checked word by word on the bounds the scan found; any other text is folded
 * whole and screened as folded, since folding can split or join its words.
 */
export function shaftFlags(body: string, lower: string, scan: BodyScan): string[] {
  if (!scan.shaftCandidate) return [];
  if (!scan.ascii) {
    const folded = fold(body);
    return mayHaveShaftTerm(folded) ? shaftFlagsByPatterns(folded) : [];
  }
  // `bounds` holds the latest scan's words: a scan of another body since then is redone.
  const words = scan === lastScan ? scan.words : scanBody(body).words;
  return asciiRunStarts(lower, words) ? shaftFlagsByPatterns(lower) : [];
}

const nonWord = /[^\p{L}\p{N}]+/u;

/** Whether a SHAFT run starts at one of the `words` of a plain ASCII text (found in `bounds`). */
function asciiRunStarts(lower: string, words: number): boolean {
  for (let w = 0; w < words; w++) {
    const node = bounds[3 * w + 2]!;
    const first = node < 0 ? undefined : trieWords[node];
    if (first === undefined) continue;
    if (first.whole) return true;
    for (const rest of first.rests) {
      if (w + rest.length >= words) continue;
      let matched = true;
      for (let j = 0; j < rest.length && matched; j++) {
        const next = w + 1 + j;
        matched = wordIs(lower, bounds[3 * next]!, bounds[3 * next + 1]!, rest[j]!, j === rest.length - 1);
      }
      if (matched) return true;
    }
  }
  return false;
}

/** `lower[start, end)` is `expected`, or (the run's last word) its plural. */
function wordIs(lower: string, start: number, end: number, expected: string, last: boolean): boolean {
  if (!lower.startsWith(expected, start)) return false;
  const tail = end - start - expected.length;
  if (tail === 0) return true;
  if (!last) return false;
  if (tail === 1) return lower.charCodeAt(end - 1) === 0x73;
  return tail === 2 && lower.charCodeAt(end - 2) === 0x65 && lower.charCodeAt(end - 1) === 0x73;
}

const letterOrDigit = /^[\p{L}\p{N}]$/u;

/**
 * The words of a folded text (runs of letters and digits), in one pass with no pattern on the
 * ASCII characters; empty when no word can start a term.
 */
function shaftScreenWords(text: string): string[] {
  const out: string[] = [];
  let candidate = false;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.codePointAt(i)! : 0x20;
    const wide = code > 0xffff;
    if (code < 0x80 ? isAsciiWordCode(code) : letterOrDigit.test(String.fromCodePoint(code))) {
      if (start < 0) start = i;
      if (wide) i++;
      continue;
    }
    if (start >= 0) {
      const word = text.slice(start, i);
      if (!candidate && shaftFirstWords.has(word)) candidate = true;
      out.push(word);
      start = -1;
    }
    if (wide) i++;
  }
  return candidate ? out : [];
}

/** Whether a SHAFT run starts at a word of the folded text (texts with characters beyond ASCII). */
function mayHaveShaftTerm(text: string): boolean {
  const textWords = shaftScreenWords(text);
  for (let i = 0; i < textWords.length; i++) {
    const word = textWords[i]!;
    if (runStartsAt(textWords, i, shaftWordRuns.get(word), true)) return true;
    // A plural first word can only be a whole one-word term.
    if (word.endsWith('s')) {
      if (runStartsAt(textWords, i, shaftWordRuns.get(word.slice(0, -1)), false)) return true;
      if (word.endsWith('es') && runStartsAt(textWords, i, shaftWordRuns.get(word.slice(0, -2)), false))
        return true;
    }
  }
  return false;
}

function runStartsAt(
  textWords: string[],
  at: number,
  runs: string[][] | undefined,
  longerRuns: boolean,
): boolean {
  if (runs === undefined) return false;
  for (const rest of runs) {
    if (rest.length === 0) return true;
    if (!longerRuns) continue;
    let matched = true;
    for (let j = 0; j < rest.length && matched; j++) {
      matched = sameWord(textWords[at + 1 + j], rest[j]!, j === rest.length - 1);
    }
    if (matched) return true;
  }
  return false;
}
