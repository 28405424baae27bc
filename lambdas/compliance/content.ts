import { contentRules, gsm7Escape } from '../rules/content';
import type { ContentAnalysis } from './types';

type Encoding = ContentAnalysis['encoding'];

/** How a body travels: its encoding, its length in that encoding's units, and the parts billed. */
export type SegmentCount = {
  encoding: Encoding;
  /** GSM-7 septets (an extension character takes two) or UTF-16 code units. */
  units: number;
  segments: number;
};

const gsm7Basic = new Set([...contentRules.gsm7.basic.join('')].filter((char) => char !== gsm7Escape));
const gsm7Extension = new Set(Object.values(contentRules.gsm7.extension));

// Once a text needs several parts, each part's user-data header (UDH) takes 6 octets:
// 160 → 153 septets, 70 → 67 UCS-2 characters.
const capacity: Record<Encoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** Septets per UTF-16 unit in the GSM-7 alphabet: 1 basic, 2 extension, 0 not encodable. */
const gsm7Septets = new Uint8Array(65536);
for (const char of gsm7Basic) if (char.length === 1) gsm7Septets[char.charCodeAt(0)] = 1;
for (const char of gsm7Extension) if (char.length === 1) gsm7Septets[char.charCodeAt(0)] = 2;

/**
 * Encoding and segment count of an SMS body as carriers bill it: GSM-7 when every character
 * is in the GSM 03.38 default or extension table, UCS-2 otherwise. Parts are filled greedily
 * and never split an escape pair or a surrogate pair. An empty body is one segment, as it
 * is billed.
 * @example countSegments('€'.repeat(80)) // { encoding: 'GSM-7', units: 160, segments: 1 }
 */
export function countSegments(body: string): SegmentCount {
  let encoding: Encoding = 'GSM-7';
  let units = 0;
  for (let i = 0; i < body.length; i++) {
    const septets = gsm7Septets[body.charCodeAt(i)]!;
    if (septets === 0) {
      encoding = 'UCS-2';
      break;
    }
    units += septets;
  }
  if (encoding === 'UCS-2') units = body.length;
  const { single, part } = capacity[encoding];
  if (units <= single) return { encoding, units, segments: 1 };

  let segments = 1;
  let used = 0;
  // By code point, so a surrogate pair or an escape pair stays whole.
  for (const char of body) {
    const size = encoding === 'UCS-2' ? char.length : gsm7Septets[char.charCodeAt(0)]!;
    if (used + size > part) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments };
}

// A host with or without scheme, not glued to a word, an e-mail's "@" or another host label.
const hostOrUrl =
  /(?<![\p{L}\p{N}@._-])(?:https?:\/\/)?((?:[\p{L}\p{N}-]+\.)+[\p{L}\p{N}-]+)(?::\d+)?(?:[/?#]\S*)?/giu;
const trailingPunctuation = /[.,;:!?)\]}'"»]+$/u;

function isShortener(host: string): boolean {
  const name = host.toLowerCase();
  return contentRules.urlShorteners.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

// The screen in front of the host pattern: a shortener's host ends in one of these domains, so
// the text holds a dot followed by the domain's last label, with the rest of the domain before
// it. Keyed by that last label, the screen looks only at the text's dots (few in a text).
const shortenersByLastLabel = new Map<string, string[]>();
for (const domain of contentRules.urlShorteners) {
  const label = domain.slice(domain.lastIndexOf('.') + 1);
  shortenersByLastLabel.set(label, [...(shortenersByLastLabel.get(label) ?? []), domain]);
}

const isLabelChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;

/** Whether a shortener's domain stands somewhere in `lower` as a host's last labels would. */
function mayHaveShortener(lower: string): boolean {
  for (let dot = lower.indexOf('.'); dot >= 0; dot = lower.indexOf('.', dot + 1)) {
    let end = dot + 1;
    while (end < lower.length && isLabelChar(lower.charCodeAt(end))) end++;
    if (end === dot + 1) continue;
    const domains = shortenersByLastLabel.get(lower.slice(dot + 1, end));
    if (domains === undefined) continue;
    for (const domain of domains) if (lower.startsWith(domain, end - domain.length)) return true;
  }
  return false;
}

/**
 * Shortener URLs by the host pattern alone, without the screen in front of it. Exported so a
 * property test can hold the screen to it: the screen may let through, never hold back.
 */
export function shortenerUrlsByPattern(body: string): string[] {
  return [...body.matchAll(hostOrUrl)]
    .filter((match) => isShortener(match[1] ?? ''))
    .map((match) => match[0].replace(trailingPunctuation, ''));
}

function findShortenerUrls(body: string): string[] {
  return mayHaveShortener(body.toLowerCase()) ? shortenerUrlsByPattern(body) : [];
}

function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Lower case without accents; plain ASCII needs no Unicode folding. */
const fold = (text: string): string =>
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
// Cheaper still: a term can only match where its words stand, in order, as words of the text,
// so most texts are cleared by word lookups without running a pattern at all. The patterns let
// a term's words be written apart or together ("ar 15", "ar-15", "ar15"), so every way of joining
// them is listed, keyed by its first word. Over-matching is fine (the patterns decide); missing
// a term is not.
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
const letterOrDigit = /^[\p{L}\p{N}]$/u;

/**
 * The words of a folded text (runs of letters and digits), in one pass with no pattern on the
 * ASCII characters; empty when no word can start a term, which clears most texts at once.
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

const nonWord = /[^\p{L}\p{N}]+/u;

/**
 * Whether any word of the folded body could start a SHAFT term, read from the body itself: ASCII
 * letters and digits form words as they are, and a run holding any other character is folded on
 * its own (folding works character by character, so the words come out as the whole text's would).
 * Most bodies hold no such word and skip folding the whole text.
 */
function mayStartShaftTerm(body: string): boolean {
  const lower = body.toLowerCase();
  let start = -1;
  let wide = false;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 0x20;
    if (code > 0x7f || isAsciiWordCode(code)) {
      if (start < 0) start = i;
      if (code > 0x7f) wide = true;
      continue;
    }
    if (start < 0) continue;
    const run = lower.slice(start, i);
    if (
      wide
        ? fold(run)
            .split(nonWord)
            .some((word) => shaftFirstWords.has(word))
        : shaftFirstWords.has(run)
    )
      return true;
    start = -1;
    wide = false;
  }
  return false;
}

function flagShaft(body: string): string[] {
  if (!mayStartShaftTerm(body)) return [];
  const folded = fold(body);
  return mayHaveShaftTerm(folded) ? shaftFlagsByPatterns(folded) : [];
}

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

/**
 * Content checks for an outbound body (RULES §4): encoding and segments, public URL
 * shorteners (as written in the body, to be refused) and SHAFT categories to flag
 * (sex, hate, alcohol, firearms, tobacco, and cannabis on its own since it is refused
 * outright rather than age-gated).
 * @example analyzeContent('Open house at 5, wine cellar tour: bit.ly/x')
 * // { encoding: 'GSM-7', segments: 1, shortenerUrls: ['bit.ly/x'], shaftFlags: [] }
 */
export function analyzeContent(body: string): ContentAnalysis {
  const { encoding, segments } = countSegments(body);
  return { encoding, segments, shortenerUrls: findShortenerUrls(body), shaftFlags: flagShaft(body) };
}

/**
 * Every web address or bare host written in a text ("https://x.co/a", "harbor-realty.com"), as
 * written. Sender names must carry none: they are put in front of every text.
 */
export function findHosts(text: string): string[] {
  return [...text.matchAll(hostOrUrl)].map((match) => match[0].replace(trailingPunctuation, ''));
}
