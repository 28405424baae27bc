/**
 * The message lifecycle: every status a text ConsentLine sends can be in, every status a text it
 * received can be in, and the moves between them. Every use case asks this module whether a
 * move is allowed; the sets they name (decidable, stoppable, final…) are derived from the one
 * transition table, so a new status or move is one line here.
 */

/** Where a text ConsentLine sends stands. */
export type MessageStatus =
  | 'scheduled'
  | 'queued'
  | 'held'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'blocked'
  | 'cancelled'
  | 'needs_review';

/**
 * The outbound transition table: `from → [to…]`. A status that lists itself may be rewritten in
 * place (a scheduled step's body edited, a held text booked again).
 */
const OUTBOUND: Readonly<Record<MessageStatus, readonly MessageStatus[]>> = {
  // A drip step waiting for its day: the sweep queues it, the agent edits it, a stop cancels it.
  scheduled: ['scheduled', 'queued', 'cancelled'],
  // The send queue refused a swept step: back to `scheduled` for the next sweep.
  queued: ['scheduled', 'held', 'sending', 'blocked', 'failed', 'cancelled', 'needs_review'],
  held: ['held', 'sending', 'blocked', 'cancelled', 'needs_review'],
  // Twilio's answer; a definite 5xx/429 gives it back to the queue; no answer → a human looks.
  // Twilio's delivery callback may also overtake the worker's own record of the answer. The last
  // look before Twilio can still hold it (a blackout declared meanwhile) or block it.
  sending: ['sent', 'delivered', 'undelivered', 'queued', 'held', 'blocked', 'failed', 'needs_review'],
  // The worker that got Twilio's answer corrects one that took its `sending` for a crash.
  needs_review: ['sent', 'queued', 'blocked', 'failed'],
  // Twilio's status callbacks, forward only.
  sent: ['delivered', 'undelivered', 'failed'],
  delivered: [],
  undelivered: [],
  failed: [],
  blocked: [],
  cancelled: [],
};

/** Every outbound status, in the order of a send. */
export const MESSAGE_STATUSES = Object.keys(OUTBOUND) as MessageStatus[];

/** Where a text is first stored: a drip step is `scheduled`, every other text `queued`. */
export const INITIAL_STATUSES: readonly MessageStatus[] = ['scheduled', 'queued'];

/** True when the lifecycle allows a text in `from` to move to `to`. */
export function canMove(from: MessageStatus, to: MessageStatus): boolean {
  return OUTBOUND[from].includes(to);
}

/** Every status a text may move to `to` from, in the order of a send. */
export function sourcesOf(to: MessageStatus): MessageStatus[] {
  return MESSAGE_STATUSES.filter((from) => canMove(from, to));
}

/** True when nothing can happen to a text in `status` any more. */
export function isFinal(status: MessageStatus): boolean {
  return OUTBOUND[status].length === 0;
}

/** True when no sequence of moves leads from `status` back into it. */
function enteredOnce(status: MessageStatus): boolean {
  const seen = new Set<MessageStatus>();
  const next = [...OUTBOUND[status]];
  while (next.length > 0) {
    const to = next.pop()!;
    if (to === status) return false;
    if (seen.has(to)) continue;
    seen.add(to);
    next.push(...OUTBOUND[to]);
  }
  return true;
}

/**
 * The statuses a text enters at most once, because no move leads back to them: `sent` and the
 * final ones. Their history entries can live in fixed places; every other status may recur.
 */
export const ENTERED_ONCE: readonly MessageStatus[] = MESSAGE_STATUSES.filter(enteredOnce);

/** The statuses nothing leaves: delivered, undelivered, failed, blocked, cancelled. */
export const FINAL_STATUSES: readonly MessageStatus[] = MESSAGE_STATUSES.filter(isFinal);

/**
 * Where a gate decision may be applied and a worker may start a send: not yet handed to a
 * worker's Twilio call (queued, held).
 */
export const DECIDABLE: readonly MessageStatus[] = sourcesOf('sending');

/** Where a text can still be stopped before any worker hands it to Twilio (scheduled, queued, held). */
export const STOPPABLE: readonly MessageStatus[] = sourcesOf('cancelled');

/** Where a worker's record of Twilio's answer applies (sending, needs_review). */
export const AWAITING_ANSWER: readonly MessageStatus[] = sourcesOf('sent');

/**
 * Twilio's status callbacks that say where a sent text is. Its earlier ones (accepted, queued,
 * sending) describe a step the record passed when the worker stored the SID.
 */
const CALLBACK_STATUSES: Readonly<Record<string, MessageStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};

/** The outbound status a Twilio status callback reports, or undefined for one we do not track. */
export function statusOfCallback(twilioStatus: string): MessageStatus | undefined {
  return Object.hasOwn(CALLBACK_STATUSES, twilioStatus) ? CALLBACK_STATUSES[twilioStatus] : undefined;
}

/**
 * Where a text the contact sent stands while the SMS webhook works on it:
 * `processing` — one delivery holds it, until its lease runs out;
 * `handled` — its opt-out, consent, reply or forward is done;
 * `interrupted` — a delivery failed midway; Twilio's retry may take it over.
 */
export type InboundStatus = 'processing' | 'handled' | 'interrupted';

const INBOUND: Readonly<Record<InboundStatus, readonly InboundStatus[]>> = {
  // `processing → processing`: a retry takes over a delivery whose lease ran out.
  processing: ['processing', 'handled', 'interrupted'],
  interrupted: ['processing'],
  handled: [],
};

/** Every inbound status. */
export const INBOUND_STATUSES = Object.keys(INBOUND) as InboundStatus[];

/** True when the lifecycle allows a received text in `from` to move to `to`. */
export function canMoveInbound(from: InboundStatus, to: InboundStatus): boolean {
  return INBOUND[from].includes(to);
}

/** The id a received text is logged under: one per MessageSid, so every redelivery finds it. */
export const inboundId = (messageSid: string): string => `inbound_${messageSid}`;

/** True for the id of a received text (see {@link inboundId}). */
export const isInboundId = (messageId: string): boolean => messageId.startsWith(inboundId(''));

// RULES §6 asks for at least 5 years; one more keeps a margin for audits that start late.
const RETENTION_YEARS = 6;

/**
 * When the message log may drop a record (epoch seconds, the DynamoDB TTL): `RETENTION_YEARS`
 * after `from` — its creation, or for a drip step the day it is due, so a year-10 step never
 * expires before it can be sent.
 * @example retentionExpiry(new Date('2026-01-01T00:00:00Z')) // 1956528000 (2032-01-01)
 */
export function retentionExpiry(from: Date): number {
  const expires = new Date(from);
  expires.setUTCFullYear(expires.getUTCFullYear() + RETENTION_YEARS);
  return Math.floor(expires.getTime() / 1000);
}
