import { fillTemplate, messageTexts, senderFields } from '../rules/messages';
import type { Purpose } from './types';

// Texts read once: a module loader that keeps imports live would go through an accessor per read.
const { senderPrefix: prefixTemplate, optOutFooter } = messageTexts;

/** Filled prefixes by agent name, then brokerage ('' for none): no key to build per text. */
const prefixes = new Map<string, Map<string, string>>();
let prefixCount = 0;

/** "Dana Reyes (Harbor Realty): ", filled once per agent identity. */
function senderPrefix(agent: { name: string; brokerage?: string }): string {
  let byBrokerage = prefixes.get(agent.name);
  if (byBrokerage === undefined) {
    if (prefixCount > 10_000) {
      prefixes.clear();
      prefixCount = 0;
    }
    prefixes.set(agent.name, (byBrokerage = new Map()));
  }
  const brokerage = agent.brokerage ?? '';
  let prefix = byBrokerage.get(brokerage);
  if (prefix === undefined) {
    prefix = fillTemplate(prefixTemplate, senderFields(agent));
    byBrokerage.set(brokerage, prefix);
    prefixCount++;
  }
  return prefix;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const namePatterns = new Map<string, RegExp>();

/**
 * Whether `body` names the agent: the agent's name as whole words ("Dana Reyes", any case, any
 * spacing between its words), never as part of another word ("Danae Reyesville" does not count).
 */
export function namesAgent(body: string, name: string): boolean {
  let pattern = namePatterns.get(name);
  if (pattern === undefined) {
    if (namePatterns.size > 10_000) namePatterns.clear();
    const words = name.trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu');
    namePatterns.set(name, pattern);
  }
  return name.trim() !== '' && pattern.test(body);
}

/**
 * Whether `body` already ends with the opt-out footer from the rules, exactly (a final period or
 * whitespace aside). Words like "stop" or "opt out" elsewhere in a sentence do not count.
 */
export function endsWithFooter(body: string): boolean {
  const end = endWithoutTrailing(body);
  return end >= footerCore.length && body.startsWith(footerCore, end - footerCore.length);
}

/**
 * Where `text` ends once its trailing run of whitespace, "." and "!" is cut: what
 * `text.replace(/[\s.!]+$/u, '')` keeps, without the pattern (it retries at every position of a
 * run, and the gate composes every text).
 */
function endWithoutTrailing(text: string): number {
  let end = text.length;
  while (end > 0 && isTrailing(text.charCodeAt(end - 1))) end--;
  return end;
}

/** `[\s.!]`: "." and "!" and what `\s` matches (ECMAScript WhiteSpace and LineTerminator). */
function isTrailing(code: number): boolean {
  if (code === 0x2e || code === 0x21 || code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const footerCore = optOutFooter.slice(0, endWithoutTrailing(optOutFooter));

/**
 * The body as it will leave: the sender prefix unless the text names the agent as whole words
 * (RULES §4 sender identification), and the opt-out footer on automated texts unless the text
 * already ends with it.
 */
export function composeBody(
  body: string,
  agent: { name: string; brokerage?: string },
  purpose: Purpose,
): string {
  let composed = body.trim();
  if (!namesAgent(composed, agent.name)) composed = senderPrefix(agent) + composed;
  if (purpose === 'automated' && !endsWithFooter(composed)) {
    composed = `${composed}\n${optOutFooter}`;
  }
  return composed;
}
