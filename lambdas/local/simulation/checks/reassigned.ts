import type { LoggedMessage, OutboxSend, Reassignment, ReassignmentFact } from '../snapshot-types';
import { kindBySid, type Violation } from './violation';

const AUTOMATED_KINDS = new Set(['drip', 'opt_in_request']);

/**
 * RULES §1 reassigned numbers: consent given by a number's old owner is worth nothing to the new
 * one. Counts, per phone the run reassigned, every automated text Twilio took once the new
 * subscriber had the number, and every text of ours (a keyword reply or forward excepted) after
 * the pipeline itself recorded the reassignment.
 */
export function sendsToReassignedNumbers(
  reassignments: readonly Reassignment[],
  found: readonly ReassignmentFact[],
  outbox: readonly OutboxSend[],
  messages: readonly LoggedMessage[],
): Violation[] {
  const kindOf = kindBySid(messages);
  const newOwnerFrom = new Map(reassignments.map((r) => [r.phone, Date.parse(r.newOwnerFrom)]));
  const knownFrom = new Map<string, number>();
  for (const record of found) {
    const recordedMs = Date.parse(record.recordedAt);
    knownFrom.set(record.phone, Math.min(knownFrom.get(record.phone) ?? Infinity, recordedMs));
  }
  const breaches: Violation[] = [];
  for (const send of outbox) {
    if (send.origin === 'keyword') continue;
    const kind = kindOf.get(send.sid);
    if (kind === 'keyword_reply' || kind === 'forward') continue;
    const atMs = Date.parse(send.at);
    const owner = newOwnerFrom.get(send.to);
    const known = knownFrom.get(send.to);
    const automatedToNewOwner = owner !== undefined && atMs >= owner && AUTOMATED_KINDS.has(kind ?? '');
    const afterKnown = known !== undefined && atMs > known;
    if (!automatedToNewOwner && !afterKnown) continue;
    breaches.push({
      kind: 'sendsToReassignedNumber',
      phone: send.to,
      at: send.at,
      sid: send.sid,
      detail: afterKnown
        ? `a ${kind ?? 'text'} after ConsentLine recorded the number as reassigned`
        : `an automated ${kind} to the number's new subscriber`,
    });
  }
  return breaches;
}
