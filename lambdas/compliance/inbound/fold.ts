/**
 * Text folding for the revocation recogniser: the same text always folds to the same words,
 * whatever its Unicode form, case, accents, punctuation or emoji.
 */

// Apostrophes join ("don't" → dont, "m'envoyer" → menvoyer); format characters hide inside words.
const apostrophes = /['\u2018\u2019\u02bc`\u00b4\p{Cf}]/gu;
// Hyphens split here ("retirez-moi" → retirez moi, "non-stop" → non stop); the keyword path joins them.
const hyphens = /[-_\u2010\u2011\u2012\u2013\u2014]/gu;
// Sentence punctuation separates clauses: "Stop! We got the house!" is two thoughts.
const clauseBreaks = /[.!?;:,¿¡…\r\n。，！？；：、]+/u;
const nonWord = /[^\p{L}\p{N}]+/gu;
const marks = /\p{M}/gu;
const ascii = /^[\x20-\x7e]*$/;
// Masked profanity ("F***ING") reads as one word once the stars go.
const masks = /(\p{L})[*$@%]+(?=\p{L})/gu;

/** Emoji that carry meaning become words the lexicons can name; every other emoji is dropped. */
const emojiWords: ReadonlyArray<[RegExp, string]> = [
  [/\u{1F6D1}/gu, ' stopsign '],
  [/\u270B/gu, ' raisedhand '],
  [/\u26D4/gu, ' noentry '],
  [/\u{1F6AB}/gu, ' prohibited '],
  [/\u{1F645}/gu, ' nogesture '],
  [/[\u{1F602}\u{1F923}\u{1F606}\u{1F605}\u{1F60A}\u{1F970}\u{1F60D}]/gu, ' laughing '],
  [/[\u{1F389}\u{1F973}\u{1F37E}\u{1F942}\u{1F38A}]/gu, ' celebrate '],
];
const anyEmoji = /[\u{1F300}-\u{1FAFF}\u2600-\u27BF]/u;

/** Marks the text's emoji and symbols as words before folding ("wrong #" → wrong number). */
export function prepare(text: string): string {
  let out = text.normalize('NFKC').replace(masks, '$1').replace(/#/g, ' number ');
  if (anyEmoji.test(out)) for (const [emoji, word] of emojiWords) out = out.replace(emoji, word);
  return out;
}

/** Splits a prepared text into clauses at sentence punctuation and line breaks. */
export function clausesOf(prepared: string): string[] {
  return prepared.split(clauseBreaks);
}

/** Folds a clause to lower-case words without accents or punctuation. */
export function foldWords(clause: string): string[] {
  const joined = clause.replace(apostrophes, '').replace(hyphens, ' ');
  const plain = ascii.test(joined) ? joined : joined.normalize('NFKD').replace(marks, '').replace(/đ/giu, 'd');
  const words = plain.toLowerCase().replace(nonWord, ' ').trim();
  return words === '' ? [] : words.split(' ');
}

/** The text with every space and punctuation mark removed: unsegmented scripts are matched on it. */
export function compact(prepared: string): string {
  return prepared.toLowerCase().replace(nonWord, '');
}

/** Runs of one letter collapse to one ("stoppp" → stop, "messsages" → mesages). */
export function squeeze(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) if (word[i] !== word[i - 1]) out += word[i];
  return out;
}

/** True for scripts written without spaces between words. */
export const unsegmented = /[\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/u;
