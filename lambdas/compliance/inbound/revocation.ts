import { keywordRules } from '../../rules/keywords';
import { revocationLexicons, type Language, type RevocationLexicon } from '../../rules/revocation';
import { compact, foldWords, isAscii, scan, unsegmented } from './fold';
import { LanguageDetector, type DetectedLanguage } from './language';
import {
  compilePattern,
  PatternIndex,
  wordsOf,
  type CompiledPattern,
  type LanguageContext,
  type Match,
} from './patterns';
import { Vocabulary } from './vocabulary';

/** Why a text was read as a revocation: the rule, how sure, and the words that decided. */
export type RevocationFinding = {
  rule: string;
  certainty: 'clear' | 'likely';
  language: Language;
  /** The words of the text the rule matched, folded. */
  matched: string;
};

export type RevocationReading = { finding?: RevocationFinding; language: DetectedLanguage };

type Sequence = {
  id: string;
  language: Language;
  certainty: 'clear' | 'likely';
  pattern: RegExp;
  unless: string[];
};
type Clause = { tokens: string[]; cores: string[][] };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function contextOf(lexicon: RevocationLexicon): LanguageContext {
  const fold = (words: readonly string[]) => new Set(words.flatMap(foldWords));
  return {
    negators: fold(lexicon.negators),
    conditionals: fold(lexicon.conditionals),
    nounMarkers: fold(lexicon.nounMarkers),
    gapBlockers: fold(lexicon.gapBlockers),
  };
}

function compileSignals(
  lexicon: RevocationLexicon,
  context: LanguageContext,
  kind: 'keep' | 'positive' | 'doorOpen',
) {
  // "No quiero más mensajes" is no wish to keep them: a negator before a keep signal cancels it.
  const negatable = kind === 'keep';
  return lexicon.signals[kind].map((match, i) =>
    compilePattern(
      lexicon,
      { id: `${lexicon.language}.${kind}-${i}`, match, certainty: 'likely', negatable },
      context,
    ),
  );
}

function compileSequence(
  lexicon: RevocationLexicon,
  sequence: RevocationLexicon['sequences'][number],
): Sequence {
  const body = sequence.match.replace(/^\^/, '').replace(/\$$/, '');
  const source = body.split('…').map(escape).join('.{0,6}');
  return {
    id: sequence.id,
    language: lexicon.language,
    certainty: sequence.certainty,
    pattern: new RegExp(
      `${sequence.match.startsWith('^') ? '^' : ''}${source}${sequence.match.endsWith('$') ? '$' : ''}`,
      'u',
    ),
    unless: sequence.unless ?? [],
  };
}

const contexts = new Map(revocationLexicons.map((lexicon) => [lexicon, contextOf(lexicon)]));
const compiled = (pick: (lexicon: RevocationLexicon, context: LanguageContext) => CompiledPattern[]) =>
  revocationLexicons.flatMap((lexicon) => pick(lexicon, contexts.get(lexicon) as LanguageContext));
const patterns = compiled((lexicon, context) =>
  lexicon.patterns.map((one) => compilePattern(lexicon, one, context)),
);
const keep = compiled((lexicon, context) => compileSignals(lexicon, context, 'keep'));
const positive = compiled((lexicon, context) => compileSignals(lexicon, context, 'positive'));
const doorOpen = compiled((lexicon, context) => compileSignals(lexicon, context, 'doorOpen'));
const sequences = revocationLexicons.flatMap((lexicon) =>
  lexicon.sequences.map((one) => compileSequence(lexicon, one)),
);

const revocations = new PatternIndex(patterns);
const keepSignals = new PatternIndex(keep);
const positiveSignals = new PatternIndex(positive);
const doorOpenSignals = new PatternIndex(doorOpen);
const courtesies = [...new Set(revocationLexicons.flatMap((lexicon) => lexicon.courtesies))]
  .map(foldWords)
  .filter((words) => words.length > 0)
  .sort((a, b) => b.length - a.length);
const byWord = (pick: (words: string[]) => string) => {
  const index = new Map<string, string[][]>();
  for (const words of courtesies) index.set(pick(words), [...(index.get(pick(words)) ?? []), words]);
  return index;
};
const courtesyPhrases = new Set(courtesies.map((words) => words.join(' ')));
const courtesyWords = new Set(
  courtesies.filter((words) => words.length === 1).map((words) => words[0] as string),
);
const courtesiesByFirst = byWord((words) => words[0] as string);
const courtesiesByLast = byWord((words) => words[words.length - 1] as string);

const vocabulary = new Vocabulary(
  [
    ...[...patterns, ...keep, ...positive, ...doorOpen].flatMap(wordsOf),
    ...courtesies.flat(),
    ...revocationLexicons.flatMap((lexicon) =>
      [
        ...Object.values(lexicon.classes).flat(),
        ...lexicon.markers,
        ...lexicon.negators,
        ...lexicon.conditionals,
        ...lexicon.nounMarkers,
        ...lexicon.gapBlockers,
        ...lexicon.notFuzzy,
      ].flatMap(foldWords),
    ),
  ],
  revocationLexicons.flatMap((lexicon) => lexicon.fuzzy.flatMap(foldWords)),
);
const detector = new LanguageDetector(revocationLexicons);

function startsWith(tokens: readonly string[], at: number, words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) if (tokens[at + i] !== words[i]) return false;
  return true;
}

/**
 * The clause with politeness and filler stripped from either end, one step at a time, the
 * start first ("please stop now thanks" → stop now thanks, stop now, stop): anchored patterns
 * are tried on every step, so "Please no more" still reads as "no more".
 */
function coresOf(tokens: string[]): string[][] {
  const cores: string[][] = [];
  let start = 0;
  let end = tokens.length;
  for (let found = true; found;) {
    found = false;
    for (const words of courtesiesByFirst.get(tokens[start] as string) ?? []) {
      if (end - start > words.length && startsWith(tokens, start, words)) {
        start += words.length;
        cores.push(tokens.slice(start, end));
        found = true;
        break;
      }
    }
  }
  for (let found = true; found;) {
    found = false;
    for (const words of courtesiesByLast.get(tokens[end - 1] as string) ?? []) {
      if (end - start > words.length && startsWith(tokens, end - words.length, words)) {
        end -= words.length;
        cores.push(tokens.slice(start, end));
        found = true;
        break;
      }
    }
  }
  return cores;
}

function readClauses(scanned: string[][], corrected: Set<string>): Clause[] {
  const clauses: Clause[] = [];
  for (const tokens of scanned) {
    for (let i = 0; i < tokens.length; i++) {
      const reading = vocabulary.read(tokens[i] as string);
      if (reading.fuzzy) corrected.add(reading.word);
      tokens[i] = reading.word;
    }
    clauses.push({ tokens, cores: coresOf(tokens) });
  }
  return clauses;
}

type Hit = { id: string; language: Language; certainty: 'clear' | 'likely'; matched: string; fuzzy: boolean };

function anySignal(index: PatternIndex, clauses: readonly Clause[], except = -1): boolean {
  return clauses.some((clause, i) => i !== except && index.test(clause.tokens, clause.cores));
}

/**
 * Whether the message as a whole lets a match stand: a wish to keep the texts outweighs a
 * match that is not about the texts themselves, good news in another clause turns a bare
 * "Stop!" into an exclamation, and a door left open turns "No thanks" into a conversation.
 */
function stands(
  pattern: CompiledPattern,
  clause: number,
  clauses: readonly Clause[],
  memo: SignalMemo,
): boolean {
  if (pattern.whole && clauses.some((other, i) => i !== clause && !isCourtesyOnly(other))) return false;
  if (!pattern.firm && (memo.keeps ??= anySignal(keepSignals, clauses))) return false;
  if (pattern.bare && anySignal(positiveSignals, clauses, clause)) return false;
  if (pattern.soft && (memo.opens ??= anySignal(doorOpenSignals, clauses))) return false;
  return true;
}

/** A clause of nothing but politeness ("Thanks!", "please"). */
function isCourtesyOnly(clause: Clause): boolean {
  return (
    courtesyPhrases.has(clause.tokens.join(' ')) || clause.tokens.every((token) => courtesyWords.has(token))
  );
}

/** Message-wide signals, read once per message and only when a match asks. */
type SignalMemo = { keeps?: boolean; opens?: boolean };

function sequenceHits(original: string): Hit[] {
  const text = compact(original);
  const hits: Hit[] = [];
  for (const sequence of sequences) {
    const found = sequence.pattern.exec(text);
    if (found === null || sequence.unless.some((word) => text.includes(word))) continue;
    hits.push({
      id: sequence.id,
      language: sequence.language,
      certainty: sequence.certainty,
      matched: found[0],
      fuzzy: false,
    });
  }
  return hits;
}

/** Lower is better founded: clear before likely (a corrected typo makes it likely), firm before not. */
const rankOf = (pattern: CompiledPattern, fuzzy: boolean): number =>
  (pattern.certainty === 'clear' && !fuzzy ? 0 : 2) + (pattern.firm ? 0 : 1);

/** The best-founded match that the message lets stand; stops at the first that cannot be bettered. */
function bestMatch(clauses: readonly Clause[], corrected: ReadonlySet<string>): Hit | undefined {
  let best: { match: Match; rank: number; fuzzy: boolean } | undefined;
  const found: Match[] = [];
  const memo: SignalMemo = {};
  for (let i = 0; i < clauses.length && best?.rank !== 0; i++) {
    const clause = clauses[i] as Clause;
    found.length = 0;
    revocations.matches(clause.tokens, clause.cores, found);
    for (const match of found) {
      const fuzzy =
        corrected.size > 0 && match.tokens.slice(match.start, match.end).some((word) => corrected.has(word));
      const rank = rankOf(match.pattern, fuzzy);
      if (best !== undefined && rank >= best.rank) continue;
      if (!stands(match.pattern, i, clauses, memo)) continue;
      best = { match, rank, fuzzy };
    }
  }
  if (best === undefined) return undefined;
  const { match, fuzzy } = best;
  return {
    id: match.pattern.id,
    language: match.pattern.language,
    certainty: match.pattern.certainty,
    matched: match.tokens.slice(match.start, match.end).join(' '),
    fuzzy,
  };
}

const STOP_WORDS = new Set(keywordRules.afterUnknownWords.map((word) => word.toLowerCase()));
const SHORT_CLAUSE = 3;

/**
 * A text in a language no lexicon holds still revokes when a short clause ends in an opt-out
 * keyword after words no lexicon knows ("Bitte STOP"); known words ("bus stop") say otherwise.
 */
function keywordAmongUnknownWords(clauses: readonly string[][]): Hit | undefined {
  for (const tokens of clauses) {
    const last = tokens[tokens.length - 1] as string;
    if (tokens.length < 2 || tokens.length > SHORT_CLAUSE || !STOP_WORDS.has(last)) continue;
    if (tokens.slice(0, -1).some((word) => vocabulary.has(word))) continue;
    return {
      id: 'any.keyword-after-unknown-words',
      language: 'en',
      certainty: 'likely',
      matched: tokens.join(' '),
      fuzzy: false,
    };
  }
  return undefined;
}

/**
 * Reads a text that is not a bare keyword for a request to stop, in every language the
 * lexicons hold at once (people mix them: "Wrong number po kayo"). The best-founded match
 * decides; a corrected typo or a `likely` rule makes the finding `likely`.
 */
export function readRevocation(
  text: string,
  scanned: string[][] = scan(text),
  words: readonly string[] = scanned.flat(),
): RevocationReading {
  const ascii = isAscii(text);
  const corrected = new Set<string>();
  const clauses = readClauses(scanned, corrected);
  let best = bestMatch(clauses, corrected) ?? keywordAmongUnknownWords(scanned);
  if (!ascii && unsegmented.test(text)) {
    for (const hit of sequenceHits(text)) {
      if (best === undefined || (best.certainty === 'likely' && hit.certainty === 'clear')) best = hit;
    }
  }
  const hint = best === undefined || best.id.startsWith('any.') ? undefined : best.language;
  const language = detector.detect(text, words, hint, ascii);
  if (best === undefined) return { language };
  return {
    language,
    finding: {
      rule: best.id,
      certainty: best.certainty === 'clear' && !best.fuzzy ? 'clear' : 'likely',
      language: best.language,
      matched: best.matched,
    },
  };
}

/** The language of a text on its own (for keywords, which need no reading). */
export function detectLanguage(text: string, words: readonly string[] = scan(text).flat()): DetectedLanguage {
  return detector.detect(text, words, undefined, isAscii(text));
}
