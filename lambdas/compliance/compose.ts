import { fillTemplate, messageTexts, senderFields } from '../rules/messages';
import type { Purpose } from './types';

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
  if (!composed.toLowerCase().includes(agent.name.toLowerCase())) {
    composed = fillTemplate(messageTexts.senderPrefix, senderFields(agent)) + composed;
  }
  if (purpose === 'automated' && !composed.toLowerCase().includes(messageTexts.optOutFooter.toLowerCase())) {
    composed = `${composed}\n${messageTexts.optOutFooter}`;
  }
  return composed;
}
