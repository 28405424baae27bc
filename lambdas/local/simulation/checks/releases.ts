import type { LoggedMessage } from '../snapshot-types';
import type { Violation } from './violation';

/**
 * How long a held text may stay held past its release: Scheduler fires within the minute, and
 * the reconciler requeues what a lost or late schedule left behind after 5 minutes (RULES §3).
 */
export const RELEASE_GRACE_MS = 10 * 60_000;

/**
 * No held text left past its release + 10 minutes: every hold in a message's history ends (the
 * text is sent, held again, blocked…) by then, and one still held at the end of the run has a
 * release less than 10 minutes before it. Each late hold is one breach.
 */
export function heldPastRelease(messages: readonly LoggedMessage[], endedAt: string): Violation[] {
  const endMs = Date.parse(endedAt);
  const breaches: Violation[] = [];
  for (const message of messages) {
    const history = message.history ?? [];
    for (const [index, change] of history.entries()) {
      if (change.status !== 'held') continue;
      const last = index === history.length - 1;
      const releaseAt = change.releaseAt ?? (last ? message.releaseAt : undefined);
      if (releaseAt === undefined) continue;
      const endedMs = last ? endMs : Date.parse(history[index + 1]!.at);
      const lateMs = endedMs - Date.parse(releaseAt);
      if (lateMs <= RELEASE_GRACE_MS) continue;
      breaches.push({
        kind: 'heldPastRelease',
        phone: message.phone,
        at: releaseAt,
        messageId: message.messageId,
        agentId: message.agentId,
        detail: last
          ? `still held ${Math.round(lateMs / 60_000)} min past its release at the end`
          : `held ${Math.round(lateMs / 60_000)} min past its release before it moved on (${history[index + 1]!.status})`,
      });
    }
  }
  return breaches;
}
