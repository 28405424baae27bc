import { consentTimeline, type ConsentRules } from '../rules/consent';
import type {
  ConsentEvent,
  ConsentEventType,
  ConsentMethodCheck,
  ConsentQuery,
  ConsentVerdict,
} from './types';

type EbrType = Extract<ConsentEventType, 'ebr_transaction' | 'ebr_inquiry'>;

/** An event with the keys that place it in time: when it happened, when it was recorded, its chain position. */
export type RankedEvent = {
  event: ConsentEvent;
  at: number;
  recordedAt: number;
  sequence: number;
};

/** An EBR window still open at the query instant. */
export type EbrWindow = RankedEvent & { type: EbrType; expiresAt: number };

/**
 * The ledger of one phone folded for one agent at one instant (RULES §1): the latest event of
 * each kind that counts, and the rules in force. Every derived answer (the gate's verdict, the
 * agent's badge) reads this one fold.
 */
export type ConsentFold = {
  at: number;
  rules: ConsentRules;
  written?: RankedEvent;
  oral?: RankedEvent;
  /** Open windows only. */
  inquiry?: EbrWindow;
  transaction?: EbrWindow;
  revocation?: RankedEvent;
  optOut?: RankedEvent;
  /** The latest `number_reassigned`: platform-wide, it voids every consent dated before it. */
  reassigned?: RankedEvent;
};

/** Consent types an agent may log, with the methods each takes (or none). */
const LOGGABLE_TYPES = ['express_written', 'express_oral', 'ebr_transaction', 'ebr_inquiry', 'revocation'];

/**
 * Whether intake may record `method` as consent of `type` (RULES §1). Written methods are
 * `express_written`; a call, a meeting or a referral is `express_oral`, which permits manual texts
 * and a consent request but never automated texts. Refused and unknown methods carry the reason.
 *
 * @example validateConsentMethod('business_card') // { ok: false, reason: 'a business card implies a call, not texts' }
 * @example validateConsentMethod('verbal_call') // { ok: false, reason: 'verbal_call is oral consent, not written: log it as express_oral, or send a consent request …' }
 */
export function validateConsentMethod(
  method: string,
  type: 'express_written' | 'express_oral' = 'express_written',
  at?: Date,
): ConsentMethodCheck {
  const rules = rulesAt(at);
  // Own keys only: 'constructor' or '__proto__' must not pass as a method.
  const written = Object.hasOwn(rules.written, method);
  const oral = Object.hasOwn(rules.oral, method);
  if (type === 'express_written' && written) return { ok: true };
  if (type === 'express_oral' && oral) return { ok: true };
  if (type === 'express_written' && oral) {
    return {
      ok: false,
      reason:
        `${method} is oral consent, not written: log it as express_oral (manual texts only), ` +
        'or send a consent request (POST /v1/contacts/{phone}/consent-request) and the YES reply is written consent',
    };
  }
  if (type === 'express_oral' && written) {
    return { ok: false, reason: `${method} is written consent: log it as express_written` };
  }
  if (Object.hasOwn(rules.refused, method)) return { ok: false, reason: rules.refused[method] };
  const valid = Object.keys(type === 'express_written' ? rules.written : rules.oral).join(', ');
  return { ok: false, reason: `"${method}" is not a known ${type} method; valid methods: ${valid}` };
}

/**
 * Whether `type` is an event an agent may log; the reason lists the valid types otherwise.
 * @example validateConsentType('express_verbal') // { ok: false, reason: '"express_verbal" is not a consent event type; valid types: …' }
 */
export function validateConsentType(type: string): ConsentMethodCheck {
  if (LOGGABLE_TYPES.includes(type)) return { ok: true };
  return {
    ok: false,
    reason: `"${type}" is not a consent event type; valid types: ${LOGGABLE_TYPES.join(', ')}`,
  };
}

/**
 * End of an EBR window (exclusive): 18 calendar months after a closing, 3 after an inquiry.
 * Months are counted in UTC; a day missing from the target month clamps to its last day
 * (30 Nov + 3 months → 28 Feb), which keeps the window on the short, safe side.
 * Returns `undefined` for events that do not expire or are not consent.
 */
export function ebrExpiry(event: Pick<ConsentEvent, 'type' | 'at'>, at?: Date): Date | undefined {
  if (event.type !== 'ebr_transaction' && event.type !== 'ebr_inquiry') return undefined;
  return new Date(addCalendarMonths(event.at.getTime(), rulesAt(at).ebr[event.type].months));
}

/**
 * Folds the consent ledger of one phone for one agent's SMS at `q.at` (RULES §1), in the order
 * events were recorded: by when they happened, then when they were stored, then their place in
 * the chain — a START recorded after a STOP wins even at the same instant, and where the order
 * cannot be told the block wins. Revocations count on SMS when they name SMS, or on any channel
 * once FCC revoke-all is in force at `q.at`. The result does not depend on the order of `events`.
 */
export function foldConsent(
  events: readonly ConsentEvent[],
  q: Pick<ConsentQuery, 'agentId' | 'phone' | 'at'>,
): ConsentFold {
  const now = instant(q.at, 'the consent query');
  const rules = consentTimeline.at(q.at);
  // Every field set from the start, so every fold has one shape for the engine to optimise.
  const fold: ConsentFold = {
    at: now,
    rules,
    written: undefined,
    oral: undefined,
    inquiry: undefined,
    transaction: undefined,
    revocation: undefined,
    optOut: undefined,
    reassigned: undefined,
  };
  let inquiry: RankedEvent | undefined;
  let transaction: RankedEvent | undefined;

  for (const event of events) {
    if (event.phone !== q.phone) continue;
    // A global opt-out suppresses the number for every agent, whoever recorded it.
    if (!isPlatformWide(event) && event.agentId !== q.agentId) continue;
    // The ledger is per channel: email or voice consent is not SMS consent. Revocations may reach further.
    const counts = event.channel === 'sms' || (event.type === 'revocation' && rules.revokeAll);
    if (!counts) continue;
    const at = event.at.getTime();
    // The message is written only when it is needed: the fold reads every event of every text.
    if (Number.isNaN(at)) instant(event.at, `consent event ${event.id}`);
    if (at > now) continue;
    switch (event.type) {
      case 'express_written':
        fold.written = later(fold.written, event, at, q.agentId);
        break;
      case 'express_oral':
        fold.oral = later(fold.oral, event, at, q.agentId);
        break;
      case 'ebr_inquiry':
        inquiry = later(inquiry, event, at, q.agentId);
        break;
      case 'ebr_transaction':
        transaction = later(transaction, event, at, q.agentId);
        break;
      case 'revocation':
        fold.revocation = later(fold.revocation, event, at, q.agentId);
        break;
      case 'global_opt_out':
        fold.optOut = later(fold.optOut, event, at, q.agentId);
        break;
      case 'number_reassigned':
        fold.reassigned = later(fold.reassigned, event, at, q.agentId);
        break;
    }
  }
  fold.inquiry = openWindow('ebr_inquiry', inquiry, now, rules);
  fold.transaction = openWindow('ebr_transaction', transaction, now, rules);
  return fold;
}

/** Whether `consent` stands: strictly after the latest revocation and the latest global opt-out. */
export function inForce(fold: ConsentFold, consent: RankedEvent | undefined): consent is RankedEvent {
  if (consent === undefined) return false;
  // A reassignment voids every consent dated before it; the new owner's own consent counts.
  return after(consent, fold.revocation) && after(consent, fold.optOut) && after(consent, fold.reassigned);
}

function after(consent: RankedEvent, block: RankedEvent | undefined): boolean {
  return block === undefined || compare(consent, block) > 0;
}

/** The open EBR window a manual text may rest on, the one lasting longer when both are open. */
export function activeEbr(fold: ConsentFold): EbrWindow | undefined {
  const inquiry = inForce(fold, fold.inquiry) ? fold.inquiry : undefined;
  const transaction = inForce(fold, fold.transaction) ? fold.transaction : undefined;
  if (inquiry === undefined || transaction === undefined) return inquiry ?? transaction;
  return transaction.expiresAt > inquiry.expiresAt ? transaction : inquiry;
}

/**
 * The block that outlasts every consent still held, if any: the global opt-out is named before
 * the agent's own revocation.
 */
export function standingBlock(fold: ConsentFold): 'opted_out' | 'number_reassigned' | 'revoked' | undefined {
  const held = [fold.written, fold.oral, fold.inquiry, fold.transaction].filter(
    (consent): consent is RankedEvent => consent !== undefined,
  );
  const outlasts = (block: RankedEvent | undefined) =>
    block !== undefined && held.every((consent) => compare(consent, block) <= 0);
  if (outlasts(fold.optOut)) return 'opted_out';
  if (outlasts(fold.reassigned)) return 'number_reassigned';
  if (outlasts(fold.revocation)) return 'revoked';
  return undefined;
}

/**
 * What one agent may send over SMS at `q.at` (RULES §1). Automated texts need express written
 * consent later than the agent's latest revocation and the number's latest global opt-out;
 * manual texts may also rest on oral consent or an open EBR window of either kind.
 *
 * @example
 * deriveConsent(ledger, { agentId: 'a1', phone: '+15551234567', channel: 'sms', at, purpose: 'automated' })
 * // { status: 'express_written', permits: true, reliedOn: 'evt-42' }
 */
export function deriveConsent(events: readonly ConsentEvent[], q: ConsentQuery): ConsentVerdict {
  return verdictOf(foldConsent(events, q), q.purpose);
}

/** The verdict of a fold for one purpose; see {@link deriveConsent}. */
export function verdictOf(fold: ConsentFold, purpose: ConsentQuery['purpose']): ConsentVerdict {
  if (inForce(fold, fold.written)) {
    return { status: 'express_written', permits: true, reliedOn: fold.written.event.id };
  }
  const manual = purpose === 'manual';
  if (inForce(fold, fold.oral)) {
    const verdict: ConsentVerdict = { status: 'express_oral', permits: manual };
    return manual ? { ...verdict, reliedOn: fold.oral.event.id } : verdict;
  }
  const ebr = activeEbr(fold);
  if (ebr !== undefined) {
    const verdict: ConsentVerdict = {
      status: ebr.type,
      permits: manual,
      ebrExpiresAt: new Date(ebr.expiresAt),
    };
    return manual ? { ...verdict, reliedOn: ebr.event.id } : verdict;
  }
  return { status: standingBlock(fold) ?? 'none', permits: false };
}

/**
 * Orders two events as the ledger recorded them: by instant, then by when they were stored, then
 * by chain position. Positive when `a` comes after `b`; 0 when the order cannot be told.
 */
export function compare(a: RankedEvent, b: RankedEvent): number {
  return a.at - b.at || a.recordedAt - b.recordedAt || Math.sign(a.sequence - b.sequence) || 0;
}

/**
 * The later of `current` and `event` by {@link compare}, equal keys falling back to the id so the
 * result never depends on the input order. `event` is ranked without building its record unless
 * it wins: the gate folds a phone's whole ledger on every text.
 */
function later(
  current: RankedEvent | undefined,
  event: ConsentEvent,
  at: number,
  agentId: string,
): RankedEvent {
  const recordedAt = recordedAtOf(event, at);
  const sequence = sequenceOf(event, agentId);
  if (current !== undefined) {
    const order =
      at - current.at || recordedAt - current.recordedAt || Math.sign(sequence - current.sequence) || 0;
    if (!(order > 0 || (order === 0 && event.id > current.event.id))) return current;
  }
  return { event, at, recordedAt, sequence };
}

// Nothing is recorded before it happens. An unknown store time is the earliest possible for a
// consent and the latest for a block: where the order cannot be told, the block wins.
function recordedAtOf(event: ConsentEvent, at: number): number {
  const recordedAt = event.recordedAt?.getTime();
  if (recordedAt !== undefined && !Number.isNaN(recordedAt)) return recordedAt;
  return isBlock(event) ? Number.POSITIVE_INFINITY : at;
}

// A global opt-out's chain position orders it only within the chain it was written with. An
// unknown chain position puts a block last and a consent first: where the order cannot be told,
// the block wins.
function sequenceOf(event: ConsentEvent, agentId: string): number {
  const sequence =
    event.type === 'global_opt_out' && event.chainAgentId !== agentId ? undefined : event.sequence;
  return sequence ?? (isBlock(event) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
}

function isBlock(event: ConsentEvent): boolean {
  return event.type === 'revocation' || isPlatformWide(event);
}

/** Events that bind every agent texting the phone, whoever recorded them (RULES §1). */
function isPlatformWide(event: ConsentEvent): boolean {
  return event.type === 'global_opt_out' || event.type === 'number_reassigned';
}

/** The rules in force at `at`, or now-current rules when no instant is given. */
function rulesAt(at: Date | undefined): ConsentRules {
  return at === undefined ? consentTimeline.versions[0]!.rules : consentTimeline.at(at);
}

/** Milliseconds of a date; a corrupt date fails closed rather than sorting silently. */
function instant(date: Date, what: string): number {
  const at = date.getTime();
  if (Number.isNaN(at)) throw new RangeError(`${what} has an invalid date`);
  return at;
}

/** The EBR window started by the latest event of its kind, if it has not ended at `now`. */
function openWindow(
  type: EbrType,
  latestEvent: RankedEvent | undefined,
  now: number,
  rules: ConsentRules,
): EbrWindow | undefined {
  if (latestEvent === undefined) return undefined;
  const expiresAt = addCalendarMonths(latestEvent.at, rules.ebr[type].months);
  return now < expiresAt ? { ...latestEvent, type, expiresAt } : undefined;
}

/** Adds calendar months in UTC, clamping to the last day of a shorter month. */
export function addCalendarMonths(at: number, months: number): number {
  const date = new Date(at);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}
