import type { InboundReading } from '../../compliance/twilio-handling';
import type { Agent, SenderAgent } from '../../ports';
import type { Deps } from '../deps';

/** The fields of Twilio's inbound SMS webhook the inbound use case reads. */
export type InboundSms = {
  messageSid: string;
  /** The contact's phone, E.164. */
  from: string;
  /** The agent's sender number, E.164. */
  to: string;
  /** Exactly as the contact typed it: it is the evidence of an opt-out or opt-in. */
  body: string;
  /** Advanced Opt-Out on a Messaging Service: Twilio handled the text as `STOP`, `START` or `HELP`. */
  optOutType?: string;
  /**
   * When Twilio delivered it, if known better than the clock: the fallback capture time of a
   * webhook replayed from the fallback queue.
   */
  receivedAt?: string;
};

/** How the contact's text was answered: by Twilio itself, or by ConsentLine's queued reply. */
export type Reply = { by: 'twilio' } | { by: 'consentline'; messageId: string; queued: boolean };

/** One claimed inbound message being handled; `recovering` when an earlier attempt failed midway. */
export type InboundJob = {
  deps: Deps;
  agent: SenderAgent;
  sms: InboundSms;
  reading: InboundReading;
  receivedAt: string;
  recovering: boolean;
};

/**
 * Where Twilio keeps its block list for this agent: the Messaging Service when the agent sends
 * through one (the block covers every number in its pool), else the agent's own number.
 */
export const twilioSenderOf = (agent: Pick<Agent, 'senderNumber' | 'messagingServiceSid'>): string =>
  agent.messagingServiceSid ?? agent.senderNumber;

/** The inbound log entry's last reason: how the text was read, by ConsentLine and Twilio, and what was done. */
export function describeHandling(reading: InboundReading, outcome: string): string {
  const { classification, twilio } = reading;
  const matched = classification.matched === undefined ? '' : ` (${classification.matched})`;
  const byTwilio = twilio ? `; Twilio handled it as ${twilio.kind} (${twilio.via.replaceAll('_', ' ')})` : '';
  return `classified ${classification.kind}${matched}${byTwilio}: ${outcome.replaceAll('_', ' ')}`;
}
