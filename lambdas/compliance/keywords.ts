import { keywordRules } from '../rules/keywords';
import { revocationVersion } from '../rules/revocation';
import { isSymbolToken, scan } from './inbound/fold';
import { detectLanguage, readRevocation } from './inbound/revocation';
import type { InboundClassification, InboundKind } from './types';

type KeywordKind = Exclude<InboundKind, 'revocation' | 'other'>;
type Keyword = { kind: KeywordKind; canonical: string; words: string[] };

// Hyphens, underscores and apostrophes join ("OPT-OUT" → optout, "don't" → dont); format
// characters (zero-width space, soft hyphen) hide inside words. Both vanish rather than split.
const joiners = /[-_\u2010\u2011'\u2018\u2019\u02bc`\u00b4\p{Cf}]/gu;

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

const { optOut, optIn, help } = keywordRules;
const keywords: Keyword[] = longestFirst([
  ...optOut.map((canonical) => ({ kind: 'opt_out' as const, canonical, words: wordsOf(canonical) })),
  ...optIn.map((canonical) => ({ kind: 'opt_in' as const, canonical, words: wordsOf(canonical) })),
  ...help.map((canonical) => ({ kind: 'help' as const, canonical, words: wordsOf(canonical) })),
]);
// The corpus folding: every letter and digit run together ("S.T.O.P" and "Stop All" are keywords).
const inDataOrder = [...optOut, ...optIn, ...help].map(
  (canonical) => keywords.find((keyword) => keyword.canonical === canonical) as Keyword,
);
const byLetters = new Map(
  inDataOrder.reverse().map((keyword) => [keyword.words.join(''), keyword] as const), // the first spelling in the data wins
);

// Keywords by their first word, longest first: a word no keyword starts with ends the reading at once.
const byFirstWord = new Map<string, Keyword[]>();
for (const keyword of keywords) {
  const first = keyword.words[0];
  if (first === undefined) continue;
  const list = byFirstWord.get(first);
  if (list === undefined) byFirstWord.set(first, [keyword]);
  else list.push(keyword);
}

function startsAt(words: readonly string[], at: number, part: readonly string[]): boolean {
  for (let i = 1; i < part.length; i++) if (words[at + i] !== part[i]) return false;
  return true;
}

/**
 * Reads the whole message as keywords only ("STOP", "S.T.O.P", "stop stop", "STOP HELP");
 * undefined if any word is not part of a keyword.
 */
function readKeywords(words: string[]): Keyword[] | undefined {
  const found: Keyword[] = [];
  for (let at = 0; at < words.length;) {
    const keyword = byFirstWord
      .get(words[at] as string)
      ?.find((candidate) => startsAt(words, at, candidate.words));
    if (!keyword) {
      const whole = byLetters.get(words.join(''));
      return whole === undefined ? undefined : [whole];
    }
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

/**
 * Classifies an inbound text (RULES §2). Keywords must be the whole message (case,
 * punctuation, diacritics, emoji and repetition ignored); any other text is read for a request
 * to stop in the words people use (rules/revocation, every language at once), and where the
 * reading is unsure it honours the revocation (`certainty: 'likely'`). Precedence: opt-out >
 * opt-in > help > revocation > other. Never throws, whatever the text.
 * @example classifyInbound(' Stop. ').kind // 'opt_out'
 * @example classifyInbound('No me envíe más mensajes').kind // 'revocation'
 * @example classifyInbound('Stop by anytime').kind // 'other'
 */
export function classifyInbound(text: string): InboundClassification {
  const scanned = scan(text);
  // Keywords ignore emoji and symbols: "STOP 🛑" is the STOP keyword. Plain loops: this runs on
  // every inbound text, and Array#flat/filter cost more here than the reading itself.
  const words: string[] = [];
  const typed: string[] = [];
  for (const clause of scanned) {
    for (const word of clause) {
      words.push(word);
      if (!isSymbolToken(word)) typed.push(word);
    }
  }
  const found = readKeywords(typed);
  if (found) {
    const keyword = keywordVerdict(found);
    return {
      kind: keyword.kind,
      matched: keyword.canonical,
      certainty: 'clear',
      rule: `keyword.${keyword.kind}`,
      rulesVersion: keywordRules.version,
      language: detectLanguage(text, words),
    };
  }
  const { finding, language } = readRevocation(text, scanned, words);
  if (finding === undefined) return { kind: 'other', language };
  return {
    kind: 'revocation',
    matched: finding.matched,
    certainty: finding.certainty,
    rule: finding.rule,
    rulesVersion: revocationVersion,
    language,
  };
}
