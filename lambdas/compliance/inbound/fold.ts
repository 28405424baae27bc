/**
 * Text folding for inbound classification: the same text always folds to the same words,
 * whatever its Unicode form, case, accents, punctuation or emoji. One pass over the characters
 * (every inbound text goes through here, so no regex chain on the common ASCII path).
 */

/** Emoji that carry meaning become words the lexicons name; every other emoji is dropped. */
const emojiWords: ReadonlyArray<[RegExp, string]> = [
  [/[\u{1F6D1}\u270B\u26D4\u{1F6AB}\u{1F645}]/gu, ' emoji_stop '],
  [/[\u{1F602}\u{1F923}\u{1F606}\u{1F605}\u{1F60A}\u{1F970}\u{1F60D}\u{1F633}]/gu, ' emoji_laugh '],
  [/[\u{1F389}\u{1F973}\u{1F37E}\u{1F942}\u{1F38A}]/gu, ' emoji_party '],
];
const anyEmoji = /[\u{1F300}-\u{1FAFF}\u2600-\u27BF]/u;
const marks = /\p{M}/gu;
const wordChar = /[\p{L}\p{N}]/u;
/** Tokens made from symbols ("#", emoji) hold an underscore, which no typed word can. */
export const isSymbolToken = (token: string): boolean => token.includes('_');

const APOSTROPHES = new Set([0x27, 0x60, 0xb4, 0x2018, 0x2019, 0x02bc]);
const CLAUSE_BREAKS = new Set(
  [...'.!?;:,¿¡…\r\n。，！？；：、\u2013\u2014'].map((char) => char.charCodeAt(0)),
);
const MASKS = new Set([0x2a, 0x24, 0x40, 0x25]); // * $ @ %  ("F***ING")
const HASH = 0x23;

function isFormat(code: number): boolean {
  return code === 0xad || (code >= 0x200b && code <= 0x200f) || code === 0x2060 || code === 0xfeff;
}

/** NFKC, then accents off (ARRÊT → arret, đ → d), lower case, meaningful emoji as words. */
function foldUnicode(text: string): string {
  let out = text.normalize('NFKC');
  if (anyEmoji.test(out)) for (const [emoji, word] of emojiWords) out = out.replace(emoji, word);
  return out.normalize('NFKD').replace(marks, '').replace(/đ/giu, 'd').toLowerCase();
}

const isAsciiWordChar = (code: number) =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);

/**
 * The text as clauses of folded words: sentence punctuation and line breaks end a clause,
 * apostrophes join ("don't" → dont), every other non-letter separates, `#` reads as a number.
 * @example scan("Stop! Don't text me #") // [['stop'], ['dont', 'text', 'me', 'sym_number']]
 */
/** Whether every character is printable ASCII or a control character (the common case). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return false;
  return true;
}

export function scan(text: string): string[][] {
  const ascii = isAscii(text);
  const source = ascii ? text : foldUnicode(text);
  const clauses: string[][] = [];
  let clause: string[] = [];
  let start = -1;
  let word = '';
  const endWord = (at: number) => {
    if (start >= 0) {
      const part = source.slice(start, at);
      word = word === '' ? part : word + part;
      start = -1;
    }
    if (word !== '') {
      clause.push(ascii ? word.toLowerCase() : word);
      word = '';
    }
  };
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    const isWord = code < 0x80 ? isAsciiWordChar(code) : wordChar.test(source[i] as string);
    if (isWord || (code === 0x5f && start >= 0 && source.startsWith('emoji_', start))) {
      if (start < 0) start = i;
      continue;
    }
    if (APOSTROPHES.has(code) || isFormat(code) || (MASKS.has(code) && (start >= 0 || word !== ''))) {
      // Joins: keep what was read so far and go on with the same word.
      if (start >= 0) {
        word += source.slice(start, i);
        start = -1;
      }
      continue;
    }
    endWord(i);
    if (code === HASH) clause.push('sym_number');
    else if (CLAUSE_BREAKS.has(code) && clause.length > 0) {
      clauses.push(clause);
      clause = [];
    }
  }
  endWord(source.length);
  if (clause.length > 0) clauses.push(clause);
  return clauses;
}

/** The text with every space and punctuation mark removed: unsegmented scripts are matched on it. */
export function compact(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Runs of one letter collapse to one ("stoppp" → stop, "messsages" → mesages). */
export function squeeze(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) if (word[i] !== word[i - 1]) out += word[i];
  return out;
}

/** Folds a lexicon word or phrase exactly as `scan` folds a text (one clause). */
export function foldWords(phrase: string): string[] {
  return scan(phrase).flat();
}

/** True for scripts written without spaces between words. */
export const unsegmented = /[\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/u;
