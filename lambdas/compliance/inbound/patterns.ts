import type { Language, RevocationLexicon, RevocationPattern } from '../../rules/revocation';
import { foldWords } from './fold';

type Element = { kind: 'word'; words: ReadonlySet<string>; optional: boolean } | { kind: 'gap'; max: number };

/** A pattern of the lexicons, compiled: the words each element accepts, with its language's context words. */
export type CompiledPattern = {
  id: string;
  language: Language;
  certainty: 'clear' | 'likely';
  firm: boolean;
  bare: boolean;
  soft: boolean;
  negatable: boolean;
  anchoredStart: boolean;
  anchoredEnd: boolean;
  elements: Element[];
  first: ReadonlySet<string>;
  unless: string[][];
  context: LanguageContext;
};

/** What a language says around a pattern: its negators, conditionals, noun markers and gap blockers. */
export type LanguageContext = {
  negators: ReadonlySet<string>;
  conditionals: ReadonlySet<string>;
  nounMarkers: ReadonlySet<string>;
  gapBlockers: ReadonlySet<string>;
};

/** Where a pattern matched in a clause: tokens [start, end). */
export type Match = { pattern: CompiledPattern; tokens: readonly string[]; start: number; end: number };

const NEGATION_WINDOW = 3;

// Symbol tokens (`emoji_stop`, `sym_number`) are named as they are made.
const foldWord = (word: string): string => (word.includes('_') ? word : foldWords(word).join(''));

/** Compiles `a|b|@class x? *2 c $` (see rules/revocation.ts) against the lexicon's classes. */
export function compilePattern(
  lexicon: RevocationLexicon,
  pattern: Pick<RevocationPattern, 'id' | 'match' | 'certainty'> & Partial<RevocationPattern>,
  context: LanguageContext,
): CompiledPattern {
  const parts = pattern.match.split(' ');
  const anchoredStart = parts[0] === '^';
  const anchoredEnd = parts[parts.length - 1] === '$';
  const elements: Element[] = parts
    .filter((part) => part !== '^' && part !== '$')
    .map((part): Element => {
      if (part.startsWith('*')) return { kind: 'gap', max: Number(part.slice(1)) };
      const optional = part.endsWith('?');
      const alternatives = (optional ? part.slice(0, -1) : part).split('|');
      const words = new Set<string>();
      for (const alternative of alternatives) {
        if (alternative.startsWith('@')) {
          const members = lexicon.classes[alternative.slice(1)];
          if (members === undefined) throw new Error(`${pattern.id}: no class ${alternative}`);
          for (const member of members) words.add(foldWord(member));
        } else {
          words.add(foldWord(alternative));
        }
      }
      return { kind: 'word', words, optional };
    });
  const head = elements[0];
  if (head?.kind !== 'word' || head.optional) throw new Error(`${pattern.id}: must start with a required word`);
  return {
    id: pattern.id,
    language: lexicon.language,
    certainty: pattern.certainty,
    firm: pattern.firm ?? false,
    bare: pattern.bare ?? false,
    soft: pattern.soft ?? false,
    negatable: pattern.negatable ?? false,
    anchoredStart,
    anchoredEnd,
    elements,
    first: head.words,
    unless: (pattern.unless ?? []).map(foldWords),
    context,
  };
}

/** Every word a compiled pattern names, so the vocabulary knows it. */
export function wordsOf(pattern: CompiledPattern): string[] {
  const out: string[] = [];
  for (const element of pattern.elements) if (element.kind === 'word') out.push(...element.words);
  for (const words of pattern.unless) out.push(...words);
  return out;
}

function matchFrom(pattern: CompiledPattern, tokens: readonly string[], element: number, at: number): number {
  const { elements } = pattern;
  if (element === elements.length) return pattern.anchoredEnd && at !== tokens.length ? -1 : at;
  const current = elements[element] as Element;
  if (current.kind === 'gap') {
    for (let skip = 0; skip <= current.max && at + skip <= tokens.length; skip++) {
      if (skip > 0 && pattern.context.gapBlockers.has(tokens[at + skip - 1] as string)) break;
      const end = matchFrom(pattern, tokens, element + 1, at + skip);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (at < tokens.length && current.words.has(tokens[at] as string)) {
    const end = matchFrom(pattern, tokens, element + 1, at + 1);
    if (end >= 0) return end;
  }
  return current.optional ? matchFrom(pattern, tokens, element + 1, at) : -1;
}

function startsWith(tokens: readonly string[], at: number, words: readonly string[]): boolean {
  if (at + words.length > tokens.length) return false;
  for (let i = 0; i < words.length; i++) if (tokens[at + i] !== words[i]) return false;
  return true;
}

/** A negator up to three words before ("don't stop sending"), unless a conditional precedes it ("if you don't stop"). */
function isNegated(pattern: CompiledPattern, tokens: readonly string[], start: number): boolean {
  const { negators, conditionals, nounMarkers } = pattern.context;
  if (start > 0 && nounMarkers.has(tokens[start - 1] as string)) return true;
  for (let i = Math.max(0, start - NEGATION_WINDOW); i < start; i++) {
    if (!negators.has(tokens[i] as string)) continue;
    for (let j = 0; j < i; j++) if (conditionals.has(tokens[j] as string)) return false;
    return true;
  }
  return false;
}

/** Matches one pattern starting at `start`, honouring its negation and `unless` guards. */
export function matchAt(pattern: CompiledPattern, tokens: readonly string[], start: number): Match | undefined {
  const end = matchFrom(pattern, tokens, 0, start);
  if (end < 0) return undefined;
  if (pattern.unless.some((words) => startsWith(tokens, end, words))) return undefined;
  if (pattern.negatable && isNegated(pattern, tokens, start)) return undefined;
  return { pattern, tokens, start, end };
}

/** Patterns indexed by the words they can start with. */
export class PatternIndex {
  private readonly anywhere = new Map<string, CompiledPattern[]>();
  private readonly anchored = new Map<string, CompiledPattern[]>();

  constructor(patterns: readonly CompiledPattern[]) {
    for (const pattern of patterns) {
      const index = pattern.anchoredStart ? this.anchored : this.anywhere;
      for (const word of pattern.first) {
        const list = index.get(word);
        if (list === undefined) index.set(word, [pattern]);
        else list.push(pattern);
      }
    }
  }

  /** Every match in one clause: unanchored patterns at any word, anchored ones on the clause and each stripped core. */
  matches(tokens: readonly string[], cores: readonly (readonly string[])[], out: Match[]): void {
    for (let at = 0; at < tokens.length; at++) {
      const candidates = this.anywhere.get(tokens[at] as string);
      if (candidates === undefined) continue;
      for (const pattern of candidates) {
        const match = matchAt(pattern, tokens, at);
        if (match !== undefined) out.push(match);
      }
    }
    this.anchoredMatches(tokens, out);
    for (const core of cores) this.anchoredMatches(core, out);
  }

  private anchoredMatches(tokens: readonly string[], out: Match[]): void {
    const candidates = tokens.length > 0 ? this.anchored.get(tokens[0] as string) : undefined;
    if (candidates === undefined) return;
    for (const pattern of candidates) {
      const match = matchAt(pattern, tokens, 0);
      if (match !== undefined) out.push(match);
    }
  }

  /** Whether any pattern matches anywhere in the clause. */
  test(tokens: readonly string[], cores: readonly (readonly string[])[]): boolean {
    const out: Match[] = [];
    this.matches(tokens, cores, out);
    return out.length > 0;
  }
}
