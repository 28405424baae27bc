import * as z from 'zod';
import data from './data/messages.json';
import { loadRules, versioned } from './schema';

const schema = versioned.extend({
  senderPrefix: z.string().includes('{agentName}'),
  brokerageSuffix: z.string().includes('{brokerage}'),
  optOutFooter: z.string().regex(/STOP/),
  optOutConfirmation: z.string().includes('START'),
  optInConfirmation: z.string().includes('STOP').includes('HELP').includes('Msg & data rates may apply'),
  doubleOptInRequest: z.string().includes('YES').includes('STOP'),
  /** RULES §1: who is asking, what the contact will get, rates, how to agree and how to stop. */
  consentRequest: z
    .string()
    .includes('{agentName}')
    .includes('{frequency}')
    .includes('Msg & data rates may apply')
    .includes('Reply YES to agree, STOP to opt out'),
  helpReply: z.string().includes('STOP').includes('Msg & data rates may apply').includes('{contactPhone}'),
  forwardedInbound: z.string().includes('{from}').includes('{body}'),
  programName: z.string().min(1),
  frequency: z.string().min(1),
});

/** The fixed texts ConsentLine writes itself: sender prefix, opt-out footer, keyword replies. */
export const messageTexts = loadRules('messages', schema, data);

/** Fills `{field}` placeholders; unknown fields are left visible so a preview shows them. */
export function fillTemplate(template: string, fields: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => fields[name] ?? whole);
}

/** Placeholders for the agent's identity in every ConsentLine-written text. */
export function senderFields(agent: { name: string; brokerage?: string }): Record<string, string> {
  return {
    agentName: agent.name,
    brokerage: agent.brokerage ?? '',
    brokerageSuffix: agent.brokerage
      ? fillTemplate(messageTexts.brokerageSuffix, { brokerage: agent.brokerage })
      : '',
    programName: messageTexts.programName,
    frequency: messageTexts.frequency,
  };
}
