import { keywordRules } from '../rules/keywords';
import { analyzeContent, findHosts } from './content';
import { normaliseInbound } from './keywords';

/** Longest agent name and brokerage, in characters: both precede every text the agent sends. */
export const MAX_SENDER_NAME_CHARS = 60;
export const MAX_BROKERAGE_CHARS = 80;

const keywordPhrases = [...keywordRules.optOut, ...keywordRules.optIn, ...keywordRules.help].map((keyword) =>
  normaliseInbound(keyword),
);
const pictograph = /\p{Extended_Pictographic}/u;
const letter = /\p{L}/u;

/**
 * Why `text` cannot be the agent name or brokerage that opens every text (RULES §4 sender
 * identification): the same content analysis as a message body (SHAFT terms, links), the
 * keywords carriers and Twilio act on (a name with STOP reads as an opt-out instruction), and
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
  const { shaftFlags } = analyzeContent(text);
  if (shaftFlags.length > 0) {
    problems.push(`must not contain terms carriers filter (SHAFT: ${shaftFlags.join(', ')})`);
  }
  const words = ` ${normaliseInbound(text)} `;
  const keywords = keywordPhrases.filter((keyword) => words.includes(` ${keyword} `));
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
