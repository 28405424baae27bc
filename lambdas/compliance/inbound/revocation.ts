import { revocationLexicons, type Language, type RevocationLexicon } from '../../rules/revocation';
import { clausesOf, compact, foldWords, prepare, unsegmented } from './fold';
import { LanguageDetector, type DetectedLanguage } from './language';
import { compilePattern, PatternIndex, wordsOf, type CompiledPattern, type LanguageContext, type Match } from './patterns';
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

type Sequence = { id: string; language: Language; certainty: 'clear' | 'likely'; pattern: RegExp; unless: string[] };
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

function compileSignals(lexicon: RevocationLexicon, context: LanguageContext, kind: 'keep' | 'positive' | 'doorOpen') {
  return lexicon.signals[kind].map((match, i) =>
    compilePattern(lexicon, { id: `${lexicon.language}.${kind}-${i}`, match, certainty: 'likely' }, context),
  );
}

function compileSequence(lexicon: RevocationLexicon, sequence: RevocationLexicon['sequences'][number]): Sequence {
  const body = sequence.match.replace(/^\^/, '').replace(/\$$/, '');
  const source = body.split('…').map(escape).join('.{0,6}');
  return {
    id: sequence.id,
    language: lexicon.language,
    certainty: sequence.certainty,
    pattern: new RegExp(`${sequence.match.startsWith('^') ? '^' : ''}${source}${sequence.match.endsWith('$') ? '$' : ''}`, 'u'),
    unless: sequence.unless ?? [],
  };
}

const contexts = new Map(revocationLexicons.map((lexicon) => [lexicon, contextOf(lexicon)]));
const compiled = (pick: (lexicon: RevocationLexicon, context: LanguageContext) => CompiledPattern[]) =>
  revocationLexicons.flatMap((lexicon) => pick(lexicon, contexts.get(lexicon) as LanguageContext));
const patterns = compiled((lexicon, context) => lexicon.patterns.map((one) => compilePattern(lexicon, one, context)));
const keep = compiled((lexicon, context) => compileSignals(lexicon, context, 'keep'));
const positive = compiled((lexicon, context) => compileSignals(lexicon, context, 'positive'));
const doorOpen = compiled((lexicon, context) => compileSignals(lexicon, context, 'doorOpen'));
const sequences = revocationLexicons.flatMap((lexicon) => lexicon.sequences.map((one) => compileSequence(lexicon, one)));

const revocations = new PatternIndex(patterns);
const keepSignals = new PatternIndex(keep);
const positiveSignals = new PatternIndex(positive);
const doorOpenSignals = new PatternIndex(doorOpen);
const courtesies = [...new Set(revocationLexicons.flatMap((lexicon) => lexicon.courtesies))]
  .map(foldWords)
  .filter((words) => words.length > 0)
  .sort((a, b) => b.length - a.length);

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
  const strip = (fromStart: boolean) => {
    for (let trimmed = true; trimmed; ) {
      trimmed = false;
      for (const words of courtesies) {
        if (end - start <= words.length) continue;
        if (fromStart ? startsWith(tokens, start, words) : startsWith(tokens, end - words.length, words)) {
          if (fromStart) start += words.length;
          else end -= words.length;
          cores.push(tokens.slice(start, end));
          trimmed = true;
          break;
        }
      }
    }
  };
  strip(true);
  strip(false);
  return cores;
}

function readClauses(prepared: string, corrected: Set<string>): Clause[] {
  const clauses: Clause[] = [];
  for (const text of clausesOf(prepared)) {
    const tokens = foldWords(text);
    if (tokens.length === 0) continue;
    for (let i = 0; i < tokens.length; i++) {
      const reading = vocabulary.read(tokens[i] as string);
      if (reading.fuzzy) corrected.add(reading.word);
      tokens[i] = reading.word;
    }
    clauses.push({ tokens, cores: coresOf(tokens) });
  }
  return clauses;
}

type Hit = { id: string; language: Language; certainty: 'clear' | 'likely'; firm: boolean; matched: string; fuzzy: boolean };

function anySignal(index: PatternIndex, clauses: readonly Clause[], except?: ReadonlySet<number>): boolean {
  return clauses.some((clause, i) => !except?.has(i) && index.test(clause.tokens, clause.cores));
}

/**
 * Keeps the matches the message as a whole does not contradict: a wish to keep the texts
 * outweighs a match that is not about the texts themselves, good news turns a bare "Stop!"
 * into an exclamation, and a door left open turns "No thanks" into a conversation.
 */
function standing(matches: Array<Match & { clause: number }>, clauses: readonly Clause[], corrected: ReadonlySet<string>): Hit[] {
  let keeps: boolean | undefined;
  let opens: boolean | undefined;
  const hits: Hit[] = [];
  for (const match of matches) {
    const { pattern } = match;
    if (!pattern.firm && (keeps ??= anySignal(keepSignals, clauses))) continue;
    if (pattern.bare && anySignal(positiveSignals, clauses, new Set([match.clause]))) continue;
    if (pattern.soft && (opens ??= anySignal(doorOpenSignals, clauses))) continue;
    const words = match.tokens.slice(match.start, match.end);
    hits.push({
      id: pattern.id,
      language: pattern.language,
      certainty: pattern.certainty,
      firm: pattern.firm,
      matched: words.join(' '),
      fuzzy: words.some((word) => corrected.has(word)),
    });
  }
  return hits;
}

function sequenceHits(prepared: string): Hit[] {
  if (!unsegmented.test(prepared)) return [];
  const text = compact(prepared);
  const hits: Hit[] = [];
  for (const sequence of sequences) {
    const found = sequence.pattern.exec(text);
    if (found === null || sequence.unless.some((word) => text.includes(word))) continue;
    hits.push({ id: sequence.id, language: sequence.language, certainty: sequence.certainty, firm: true, matched: found[0], fuzzy: false });
  }
  return hits;
}

const rank = (hit: Hit): number => (hit.certainty === 'clear' && !hit.fuzzy ? 0 : 2) + (hit.firm ? 0 : 1);

/**
 * Reads a text that is not a bare keyword for a request to stop, in every language the
 * lexicons hold at once (people mix them: "Wrong number po kayo"). The best-founded match
 * decides; a corrected typo or a `likely` rule makes the finding `likely`.
 */
export function readRevocation(text: string): RevocationReading {
  const prepared = prepare(text);
  const corrected = new Set<string>();
  const clauses = readClauses(prepared, corrected);
  const matches: Array<Match & { clause: number }> = [];
  clauses.forEach((clause, i) => {
    const found: Match[] = [];
    revocations.matches(clause.tokens, clause.cores, found);
    for (const match of found) matches.push({ ...match, clause: i });
  });
  const hits = [...standing(matches, clauses, corrected), ...sequenceHits(prepared)];
  const best = hits.reduce<Hit | undefined>((a, b) => (a === undefined || rank(b) < rank(a) ? b : a), undefined);
  const words = clauses.flatMap((clause) => clause.tokens);
  const language = detector.detect(prepared, words, best?.language);
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
export function detectLanguage(text: string): DetectedLanguage {
  const prepared = prepare(text);
  return detector.detect(prepared, clausesOf(prepared).flatMap(foldWords));
}
