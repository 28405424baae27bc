import type { LoggedMessage } from '../snapshot-types';

/** The rules the independent checker counts breaches of; every count must be 0. */
export const VIOLATION_KINDS = [
  'sendsAfterOptOut',
  'sendsWithoutConsent',
  'sendsBeforeDoubleOptIn',
  'sendsOutsideWindow',
  'holidaySends',
  'capBreaches',
  'confirmationMismatches',
  'duplicateDeliveries',
  'unloggedSends',
  'heldNeverResolved',
  'stuckMessages',
  'extraKeywordReplies',
  'inboundLost',
  'heldPastRelease',
  'sendsToReassignedNumber',
  'derivedStateDrift',
] as const;

export type ViolationKind = (typeof VIOLATION_KINDS)[number];
export type ViolationCounts = Record<ViolationKind, number>;

/** One breach, with what a person needs to find it: message, phone, times and the rule. */
export type Violation = {
  kind: ViolationKind;
  phone: string;
  /** The instant that breaks the rule (a send, an opt-out, a release). */
  at: string;
  detail: string;
  sid?: string;
  messageId?: string;
  agentId?: string;
};

export function zeroCounts(): ViolationCounts {
  return Object.fromEntries(VIOLATION_KINDS.map((kind) => [kind, 0])) as ViolationCounts;
}

/** The kind of each logged message (`keyword_reply`, `drip`, …) by the Twilio sid it was sent under. */
export function kindBySid(messages: readonly LoggedMessage[]): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const message of messages) if (message.twilioSid) kinds.set(message.twilioSid, message.kind);
  return kinds;
}
