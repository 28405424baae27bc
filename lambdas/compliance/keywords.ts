import { keywordRules } from '../rules/keywords';
import type { InboundClassification, InboundKind } from './types';

type KeywordKind = Exclude<InboundKind, 'revocation' | 'other'>;
type Keyword = { kind: KeywordKind; canonical: string; words: string[] };
type Phrase = { canonical: string; words: string[] };

// Hyphens, underscores and apostrophes join ("OPT-OUT" → optout, "don't" → dont); format
// characters (zero-width space, soft hyphen) hide inside words. Both vanish rather than split.
const joiners = /[-_\u2010\u2011'\u2018\u2019\u02bc`\u00b4\p{Cf}]/gu;
// Sentence punctuation separates clauses: "No, stop texting me" is a refusal and a request.
const clauseBreaks = /[.!?;:,¿¡…\u2013\u2014\r\n]+/u;

/**
 * Folds an inbound text to lower-case ASCII-ish words separated by single spaces: no
 * diacritics (ARRÊT → arret), no punctuation, hyphens and apostrophes joined.
 * @example normaliseInbound('  Opt-Out!! ') // 'optout'
 */
export function normaliseInbound(text: string): string {
  return text
    .replace(joiners, '') // before NFKD, which would turn ´ into a space
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(joiners, '') // after NFKD, which unfolds full-width hyphens and apostrophes
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const wordsOf = (text: string): string[] => normaliseInbound(text).split(' ').filter(Boolean);
const longestFirst = <T extends { words: string[] }>(list: T[]): T[] =>
  [...list].sort((a, b) => b.words.length - a.words.length);
const phrasesOf = (list: readonly string[]): Phrase[] =>
  list.map((canonical) => ({ canonical, words: wordsOf(canonical) }));

const { optOut, optIn, help, revocation } = keywordRules;
const keywords: Keyword[] = longestFirst([
  ...optOut.map((canonical) => ({ kind: 'opt_out' as const, canonical, words: wordsOf(canonical) })),
  ...optIn.map((canonical) => ({ kind: 'opt_in' as const, canonical, words: wordsOf(canonical) })),
  ...help.map((canonical) => ({ kind: 'help' as const, canonical, words: wordsOf(canonical) })),
]);
const standalone = new Map(
  phrasesOf([...revocation.standalone.en, ...revocation.standalone.es])
    .reverse() // the first spelling in the data wins when two fold alike
    .map((phrase) => [phrase.words.join(' '), phrase.canonical]),
);
const anywhere = longestFirst(phrasesOf([...revocation.anywhere.en, ...revocation.anywhere.es]));
const courtesies = longestFirst(phrasesOf(revocation.courtesies));
const negators = new Set(revocation.negation.negators.flatMap(wordsOf));
const questions = new Set(revocation.negation.questions.flatMap(wordsOf));
const conditionals = new Set(revocation.negation.conditionals.flatMap(wordsOf));

const startsAt = (words: string[], at: number, part: string[]): boolean =>
  part.length > 0 && part.every((word, i) => words[at + i] === word);

/**
 * Reads the whole message as keywords only ("STOP", "stop stop", "STOP HELP"); undefined if
 * any word is not part of a keyword.
 */
function readKeywords(words: string[]): Keyword[] | undefined {
  const found: Keyword[] = [];
  for (let at = 0; at < words.length;) {
    const keyword = keywords.find((candidate) => startsAt(words, at, candidate.words));
    if (!keyword) return undefined;
    found.push(keyword);
    at += keyword.words.length;
  }
  return found.length > 0 ? found : undefined;
}

/** Any opt-out word wins; consent needs every word to be an opt-in; anything mixed is a help request. */
function keywordVerdict(found: Keyword[]): Keyword {
  const first = found[0] as Keyword;
  return (
    found.find((keyword) => keyword.kind === 'opt_out') ??
    (found.every((keyword) => keyword.kind === 'opt_in') ? first : undefined) ??
    found.find((keyword) => keyword.kind === 'help') ??
    first
  );
}

function withoutCourtesies(words: string[]): string[] {
  let rest = words;
  for (let trimmed = true; trimmed;) {
    trimmed = false;
    for (const courtesy of courtesies) {
      if (rest.length <= courtesy.words.length) continue;
      if (startsAt(rest, 0, courtesy.words)) {
        rest = rest.slice(courtesy.words.length);
        trimmed = true;
      } else if (startsAt(rest, rest.length - courtesy.words.length, courtesy.words)) {
        rest = rest.slice(0, rest.length - courtesy.words.length);
        trimmed = true;
      }
    }
  }
  return rest;
}

/** Whether the phrase at `at` is asked for, rather than negated or asked about. */
function isRequested(words: string[], at: number): boolean {
  const before = words.slice(0, at);
  const window = before.slice(-revocation.negation.window);
  if (window.some((word) => questions.has(word))) return false;
  if (!window.some((word) => negators.has(word))) return true;
  return before.some((word) => conditionals.has(word));
}

function findRevocation(clauses: string[][]): string | undefined {
  for (const clause of clauses) {
    const phrase = standalone.get(withoutCourtesies(clause).join(' '));
    if (phrase !== undefined) return phrase;
  }
  for (const phrase of anywhere) {
    for (const clause of clauses) {
      for (let at = 0; at + phrase.words.length <= clause.length; at++) {
        if (startsAt(clause, at, phrase.words) && isRequested(clause, at)) return phrase.canonical;
      }
    }
  }
  return undefined;
}

/**
 * Classifies an inbound text (RULES §2). Keywords must be the whole message (case,
 * punctuation, diacritics and repetition ignored); a revocation is a phrase from the rules
 * a reasonable person would read as "stop". Precedence: opt-out > opt-in > help >
 * revocation > other. `matched` is the keyword or phrase as spelled in the rules data.
 * @example classifyInbound(' Stop. ') // { kind: 'opt_out', matched: 'STOP' }
 * @example classifyInbound('please take me off your list') // { kind: 'revocation', matched: 'take me off your list' }
 */
export function classifyInbound(text: string): InboundClassification {
  const found = readKeywords(wordsOf(text));
  if (found) {
    const keyword = keywordVerdict(found);
    return { kind: keyword.kind, matched: keyword.canonical };
  }
  const clauses = text
    .split(clauseBreaks)
    .map(wordsOf)
    .filter((words) => words.length > 0);
  const phrase = findRevocation(clauses);
  return phrase === undefined ? { kind: 'other' } : { kind: 'revocation', matched: phrase };
}
