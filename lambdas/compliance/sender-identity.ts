import { contentRules } from '../rules/content';
import { keywordRules } from '../rules/keywords';
import { analyzeContent, findHosts } from './content';
import { normaliseInbound } from './keywords';

/** Longest agent name and brokerage, in characters: both precede every text the agent sends. */
export const MAX_SENDER_NAME_CHARS = 60;
export const MAX_BROKERAGE_CHARS = 80;

const keywordPhrases = [...keywordRules.optOut, ...keywordRules.optIn, ...keywordRules.help].map((keyword) =>
  normaliseInbound(keyword).split(' '),
);
// Words that turn the keyword after them into an instruction: "Text STOP", "reply yes".
const instructionWords = new Set(['text', 'txt', 'reply', 'send', 'respond', 'sms', 'msg']);
const bareShaftTerms = Object.entries(contentRules.shaft.senderIdentity).flatMap(([category, terms]) =>
  terms.map((term) => ({ category, words: normaliseInbound(term).split(' ') })),
);
const pictograph = /\p{Extended_Pictographic}/u;
const letter = /\p{L}/u;

/**
 * Why `text` cannot be the agent name or brokerage that opens every text (RULES §4 sender
 * identification): the same content analysis as a message body (SHAFT terms, links, and the
 * terms refused even bare in a name, like CBD), a keyword carriers and Twilio act on where it
 * reads as an instruction (the whole name, a keyword in capitals — "Evil STOP", "OPT OUT" — or
 * after "text"/"reply"; not an ordinary word such as "West End Realty" or "Yes Homes"), and
 * pictographs, which turn every text into UCS-2 (70 characters a segment). Empty when fine.
 * @example senderIdentityProblems('Evil STOP 🏡 https://bit.ly/x')
 */
export function senderIdentityProblems(text: string, maxChars = MAX_SENDER_NAME_CHARS): string[] {
  const problems: string[] = [];
  const length = [...text].length;
  if (length < 2 || !letter.test(text))
    problems.push('must be a name of at least 2 characters with a letter');
  if (length > maxChars) problems.push(`must be at most ${maxChars} characters: it opens every text`);
  const hosts = findHosts(text);
  if (hosts.length > 0) problems.push(`must not contain a web address (${hosts.join(', ')})`);
  const words = wordsOf(text);
  const folded = words.map((word) => word.toLowerCase());
  const { shaftFlags } = analyzeContent(text);
  const bare = bareShaftTerms
    .filter((term) => occurrences(folded, term.words, true).length > 0)
    .map((term) => term.category);
  const flags = [...new Set([...shaftFlags, ...bare])];
  if (flags.length > 0) {
    problems.push(`must not contain terms carriers filter (SHAFT: ${flags.join(', ')})`);
  }
  const keywords = keywordPhrases
    .filter((keyword) =>
      occurrences(folded, keyword, false).some((at) => readsAsInstruction(words, at, keyword.length)),
    )
    .map((keyword) => keyword.join(' '));
  if (keywords.length > 0) {
    problems.push(
      `must not contain the texting keyword${keywords.length > 1 ? 's' : ''} ${keywords
        .map((keyword) => keyword.toUpperCase())
        .join(', ')}: carriers act on them`,
    );
  }
  if (pictograph.test(text))
    problems.push('must not contain emoji: they make every text cost twice as many segments');
  return problems;
}

/** The text's words as written (accents stripped, case kept), split like `normaliseInbound`. */
function wordsOf(text: string): string[] {
  return normaliseInbound(text) === ''
    ? []
    : text
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
}

/** Where `phrase` starts in `words` (lower case), as whole words; `plural` allows a final s. */
function occurrences(words: string[], phrase: string[], plural: boolean): number[] {
  const starts: number[] = [];
  for (let i = 0; i + phrase.length <= words.length; i++) {
    const matches = phrase.every((word, j) => {
      const found = words[i + j];
      return found === word || (plural && j === phrase.length - 1 && found === `${word}s`);
    });
    if (matches) starts.push(i);
  }
  return starts;
}

/** A keyword at `at` reads as an instruction: the whole name, written in capitals, or after "text"/"reply". */
function readsAsInstruction(words: string[], at: number, length: number): boolean {
  if (length === words.length) return true;
  const written = words.slice(at, at + length).join('');
  if (written.length >= 2 && written === written.toUpperCase() && written !== written.toLowerCase())
    return true;
  const before = words[at - 1]?.toLowerCase();
  return before !== undefined && instructionWords.has(before);
}
