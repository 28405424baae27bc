import { fillTemplate, messageTexts, senderFields } from '../rules/messages';
import type { Purpose } from './types';

const prefixes = new Map<string, string>();

/** "Dana Reyes (Harbor Realty): ", filled once per agent identity. */
function senderPrefix(agent: { name: string; brokerage?: string }): string {
  const key = `${agent.name}\u0000${agent.brokerage ?? ''}`;
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    if (prefixes.size > 10_000) prefixes.clear();
    prefix = fillTemplate(messageTexts.senderPrefix, senderFields(agent));
    prefixes.set(key, prefix);
  }
  return prefix;
}

const optOutInstruction = /\bSTOP\b[^.!?\n]{0,20}\bopt[ -]?out\b/i;

/**
 * The body as it will leave: the agent's name in front when the text does not already name
 * them (RULES §4 sender identification), and the opt-out footer on automated texts.
 */
export function composeBody(
  body: string,
  agent: { name: string; brokerage?: string },
  purpose: Purpose,
): string {
  let composed = body.trim();
  if (!composed.toLowerCase().includes(agent.name.toLowerCase())) composed = senderPrefix(agent) + composed;
  // A text that already tells how to opt out ("…, STOP to opt out.") needs no second footer.
  if (purpose === 'automated' && !optOutInstruction.test(composed)) {
    composed = `${composed}\n${messageTexts.optOutFooter}`;
  }
  return composed;
}
