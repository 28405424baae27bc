import type { LoggedMessage } from '../snapshot-types';
import type { Violation } from './violation';

const DAY_MS = 86_400_000;

/**
 * What a settled run must not leave behind: a held text whose release time has passed (RULES §3:
 * held, then released and re-checked), and texts stuck on the way to Twilio — still queued or
 * sending, or a drip step due more than a day ago still waiting for the sweep.
 */
export function leftovers(messages: readonly LoggedMessage[], endedAt: string): Violation[] {
  const endMs = Date.parse(endedAt);
  const found: Violation[] = [];
  for (const message of messages) {
    const base = { phone: message.phone, messageId: message.messageId, agentId: message.agentId };
    if (
      message.status === 'held' &&
      message.releaseAt !== undefined &&
      Date.parse(message.releaseAt) < endMs
    ) {
      found.push({
        ...base,
        kind: 'heldNeverResolved',
        at: message.releaseAt,
        detail: `held past its release at the end (${endedAt})`,
      });
    } else if (message.kind !== 'inbound' && (message.status === 'queued' || message.status === 'sending')) {
      found.push({
        ...base,
        kind: 'stuckMessages',
        at: message.createdAt,
        detail: `still ${message.status} after the final settle`,
      });
    } else if (
      message.status === 'scheduled' &&
      message.dueAt !== undefined &&
      Date.parse(message.dueAt) < endMs - DAY_MS
    ) {
      found.push({
        ...base,
        kind: 'stuckMessages',
        at: message.dueAt,
        detail: 'drip step due over a day ago, never swept',
      });
    }
  }
  return found;
}
