import type { DecidedSend, MessageRecord } from '../ports';
import { consentRecordsOf } from './consent-events';
import { bindsBlackouts, gateInputOf, type LoadedGateInput } from './gate-input';

/**
 * How old the API's reads may be when the worker takes them over. The send claim proves what
 * can revoke a send unchanged (the consent records, the opt-outs, the reassignments, the agent's
 * suspension, the recipient's sends, the message itself); the contact's location and the agent's
 * name are at most this old, as a queue backlog longer than this falls back to fresh reads.
 */
export const DECIDED_SEND_MAX_AGE_MS = 60_000;

/**
 * Whether the API's reads can carry a text to Twilio: every input of its gate is then either
 * re-decided by the worker's clock (windows, caps over time), proved unchanged by the send claim,
 * or enforced by the claim's own condition (the agent's day slot of the worker's day, `< cap`).
 * Not for automated texts: the reassigned-number check may call Lookup, and a blackout declared
 * meanwhile is looked up again after the claim.
 */
export function carriesDecision(message: Pick<MessageRecord, 'kind' | 'purpose'>): boolean {
  return message.purpose !== 'automated' && !bindsBlackouts(message);
}

/** What the API read for `message`, to hand to the worker with it; undefined when the worker must read. */
export function decidedSendOf(message: MessageRecord, loaded: LoadedGateInput): DecidedSend | undefined {
  if (!carriesDecision(message) || loaded.reads.blackouts !== undefined) return undefined;
  const { keyed, consent } = loaded.reads;
  return {
    readAt: loaded.input.at.toISOString(),
    message,
    keyed,
    ...(consent === undefined
      ? {}
      : {
          consent: {
            ledger: consent.ledger,
            optOuts: consent.optOuts,
            numbers: consent.numbers,
            ...(consent.state === undefined ? {} : { state: consent.state }),
          },
        }),
  };
}

/**
 * The gate's input at `at` from the API's reads, or undefined when they cannot stand for fresh
 * ones: another message, one the worker may not take over, or reads older than
 * {@link DECIDED_SEND_MAX_AGE_MS}.
 */
export function loadedFromDecided(
  decided: DecidedSend,
  messageId: string,
  at: Date,
): { message: MessageRecord; loaded: LoadedGateInput } | undefined {
  const { message } = decided;
  if (message.messageId !== messageId || message.status !== 'queued' || !carriesDecision(message))
    return undefined;
  const age = at.getTime() - Date.parse(decided.readAt);
  if (!(age >= 0 && age <= DECIDED_SEND_MAX_AGE_MS)) return undefined;
  const consent =
    decided.consent === undefined
      ? undefined
      : consentRecordsOf(
          message.agentId,
          {
            phone: message.phone,
            ledger: decided.consent.ledger,
            optOuts: decided.consent.optOuts,
            ...(decided.consent.state === undefined ? {} : { state: decided.consent.state }),
          },
          decided.consent.numbers,
        );
  return { message, loaded: gateInputOf(message, { keyed: decided.keyed, consent }, at) };
}
