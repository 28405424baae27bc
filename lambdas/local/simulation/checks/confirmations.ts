import type { OptOutFact, OutboxSend } from '../snapshot-types';
import type { Violation } from './violation';

const CONFIRM_WITHIN_MS = 5 * 60_000;
// RULES §2's confirmation says the contact "has been unsubscribed" (in Spanish "dado de baja",
// for a revocation written in Spanish); nothing else we send does.
const CONFIRMATION = /unsubscribed|dado de baja/i;
// A text opt-out gets a confirmation; a carrier's 21610 or an admin import cannot be answered.
const CONFIRMED_SOURCES = new Set(['keyword', 'revocation_phrase']);

/**
 * RULES §2: exactly one confirmation text per opt-out, within 5 minutes. Each confirmation is
 * credited to the phone's latest text opt-out recorded before it; an opt-out credited with 0 or
 * several, and a confirmation that answers none in time, are each one breach.
 */
export function confirmationMismatches(
  optOuts: readonly OptOutFact[],
  outbox: readonly OutboxSend[],
): Violation[] {
  const optOutsByPhone = new Map<string, OptOutFact[]>();
  for (const record of optOuts) {
    if (!CONFIRMED_SOURCES.has(record.source)) continue;
    const list = optOutsByPhone.get(record.phone) ?? [];
    list.push(record);
    optOutsByPhone.set(record.phone, list);
  }
  for (const list of optOutsByPhone.values()) list.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));

  const credited = new Map<OptOutFact, number>();
  const breaches: Violation[] = [];
  for (const send of outbox) {
    if (!CONFIRMATION.test(send.body)) continue;
    const atMs = Date.parse(send.at);
    const answered = (optOutsByPhone.get(send.to) ?? [])
      .filter((record) => Date.parse(record.recordedAt) <= atMs)
      .at(-1);
    if (answered === undefined || atMs - Date.parse(answered.recordedAt) > CONFIRM_WITHIN_MS) {
      // Twilio answers every STOP to a sender that has not blocked the phone yet, even when the
      // phone was already opted out platform-wide: its reply is not ours to withhold.
      if (send.origin === 'keyword') continue;
      breaches.push({
        kind: 'confirmationMismatches',
        phone: send.to,
        at: send.at,
        sid: send.sid,
        detail: 'an opt-out confirmation that answers no opt-out of the last 5 minutes',
      });
      continue;
    }
    credited.set(answered, (credited.get(answered) ?? 0) + 1);
  }
  for (const list of optOutsByPhone.values()) {
    for (const record of list) {
      const count = credited.get(record) ?? 0;
      if (count === 1) continue;
      breaches.push({
        kind: 'confirmationMismatches',
        phone: record.phone,
        at: record.recordedAt,
        ...(record.agentId === undefined ? {} : { agentId: record.agentId }),
        detail: `opt-out (${record.source}) confirmed ${count} times within 5 minutes, not once`,
      });
    }
  }
  return breaches;
}
