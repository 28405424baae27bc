import { consentRules } from '../rules/consent';
import type {
  ConsentEvent,
  ConsentEventType,
  ConsentMethodCheck,
  ConsentQuery,
  ConsentVerdict,
} from './types';

type EbrType = Extract<ConsentEventType, 'ebr_transaction' | 'ebr_inquiry'>;

/** The latest event of one kind, with its instant read once. */
type Latest = { event: ConsentEvent; at: number };

type EbrWindow = { type: EbrType; event: ConsentEvent; at: number; expiresAt: number };

const none = Number.NEGATIVE_INFINITY;

/**
 * Whether intake may record `method` as `express_written` (RULES §1).
 * Refused and unknown methods carry the reason to show the agent.
 *
 * @example validateConsentMethod('business_card') // { ok: false, reason: 'a business card implies a call, not texts' }
 */
export function validateConsentMethod(method: string): ConsentMethodCheck {
  // Own keys only: 'constructor' or '__proto__' must not pass as a method.
  if (Object.hasOwn(consentRules.accepted, method)) return { ok: true };
  const refusal = Object.hasOwn(consentRules.refused, method) ? consentRules.refused[method] : undefined;
  if (refusal !== undefined) return { ok: false, reason: refusal };
  const accepted = Object.keys(consentRules.accepted).join(', ');
  return { ok: false, reason: `"${method}" is not a known consent method; accepted methods: ${accepted}` };
}

/**
 * End of an EBR window (exclusive): 18 calendar months after a closing, 3 after an inquiry.
 * Months are counted in UTC; a day missing from the target month clamps to its last day
 * (30 Nov + 3 months → 28 Feb), which keeps the window on the short, safe side.
 * Returns `undefined` for events that do not expire or are not consent.
 */
export function ebrExpiry(event: Pick<ConsentEvent, 'type' | 'at'>): Date | undefined {
  if (event.type !== 'ebr_transaction' && event.type !== 'ebr_inquiry') return undefined;
  return new Date(addCalendarMonths(event.at.getTime(), consentRules.ebr[event.type].months));
}

/**
 * Folds the consent ledger of one phone into what one agent may send over SMS at `q.at`
 * (RULES §1). Automated texts need express written consent later than the agent's latest
 * revocation, the number's latest global opt-out and its latest reassignment (which binds every
 * agent); manual texts may also rest on an active `ebr_inquiry` window. A consent and a revocation at the same instant resolve to
 * the revocation. The verdict does not depend on the order of `events`.
 *
 * @example
 * deriveConsent(ledger, { agentId: 'a1', phone: '+15551234567', channel: 'sms', at, purpose: 'automated' })
 * // { status: 'express_written', permits: true, reliedOn: 'evt-42' }
 */
export function deriveConsent(events: readonly ConsentEvent[], q: ConsentQuery): ConsentVerdict {
  const now = instant(q.at, 'the consent query');
  let express: Latest | undefined;
  let inquiry: Latest | undefined;
  let transaction: Latest | undefined;
  let revokedAt = none;
  let optedOutAt = none;
  let reassignedAt = none;

  // One pass keeping the latest event of each kind: folding in time order reduces to this,
  // because each rule only compares the latest consent of a kind with the latest block.
  for (const event of events) {
    // The ledger is per channel: email or voice consent is not SMS consent.
    if (event.channel !== 'sms' || event.phone !== q.phone) continue;
    // A global opt-out suppresses the number for every agent, whoever recorded it.
    if (!isPlatformWide(event) && event.agentId !== q.agentId) continue;
    const at = instant(event.at, `consent event ${event.id}`);
    if (at > now) continue;
    switch (event.type) {
      case 'express_written':
        express = later(express, event, at);
        break;
      case 'ebr_inquiry':
        inquiry = later(inquiry, event, at);
        break;
      case 'ebr_transaction':
        transaction = later(transaction, event, at);
        break;
      case 'revocation':
        revokedAt = Math.max(revokedAt, at);
        break;
      case 'global_opt_out':
        optedOutAt = Math.max(optedOutAt, at);
        break;
      case 'number_reassigned':
        reassignedAt = Math.max(reassignedAt, at);
        break;
    }
  }

  // Strictly later: a consent recorded at the same instant as a revocation does not survive it.
  // A reassignment voids every consent dated before it; the new owner's own consent counts.
  const blockedAt = Math.max(revokedAt, optedOutAt, reassignedAt);
  if (express !== undefined && express.at > blockedAt) {
    return { status: 'express_written', permits: true, reliedOn: express.event.id };
  }

  const inquiryWindow = openWindow('ebr_inquiry', inquiry, now);
  const transactionWindow = openWindow('ebr_transaction', transaction, now);
  const ebr = preferredEbr(
    inquiryWindow !== undefined && inquiryWindow.at > blockedAt ? inquiryWindow : undefined,
    transactionWindow !== undefined && transactionWindow.at > blockedAt ? transactionWindow : undefined,
    q.purpose,
  );
  if (ebr !== undefined) {
    // RULES §1 lets only an inquiry window carry a manual text; a closing alone shows as status.
    const permits = ebr.type === 'ebr_inquiry' && q.purpose === 'manual';
    const verdict: ConsentVerdict = { status: ebr.type, permits, ebrExpiresAt: new Date(ebr.expiresAt) };
    return permits ? { ...verdict, reliedOn: ebr.event.id } : verdict;
  }

  // No consent is in force: name the block that outlasts every consent the agent still holds.
  // A platform-wide opt-out is shown before the agent's own revocation.
  const latestConsentAt = Math.max(
    express?.at ?? none,
    inquiryWindow?.at ?? none,
    transactionWindow?.at ?? none,
  );
  if (optedOutAt > none && optedOutAt >= latestConsentAt) return { status: 'opted_out', permits: false };
  if (reassignedAt > none && reassignedAt >= latestConsentAt) {
    return { status: 'number_reassigned', permits: false };
  }
  if (revokedAt > none && revokedAt >= latestConsentAt) return { status: 'revoked', permits: false };
  return { status: 'none', permits: false };
}

/** Events that bind every agent texting the phone, whoever recorded them (RULES §1). */
function isPlatformWide(event: ConsentEvent): boolean {
  return event.type === 'global_opt_out' || event.type === 'number_reassigned';
}

/** Milliseconds of a date; a corrupt date fails closed rather than sorting silently. */
function instant(date: Date, what: string): number {
  const at = date.getTime();
  if (Number.isNaN(at)) throw new RangeError(`${what} has an invalid date`);
  return at;
}

/** Equal instants fall back to the id so the result never depends on the input order. */
function later(current: Latest | undefined, event: ConsentEvent, at: number): Latest | undefined {
  if (current === undefined || at > current.at || (at === current.at && event.id > current.event.id)) {
    return { event, at };
  }
  return current;
}

/** The EBR window started by the latest event of its kind, if it has not ended at `now`. */
function openWindow(type: EbrType, latest: Latest | undefined, now: number): EbrWindow | undefined {
  if (latest === undefined) return undefined;
  const expiresAt = addCalendarMonths(latest.at, consentRules.ebr[type].months);
  return now < expiresAt ? { type, event: latest.event, at: latest.at, expiresAt } : undefined;
}

/** The window that permits the purpose, else the one that lasts longer. */
function preferredEbr(
  inquiry: EbrWindow | undefined,
  transaction: EbrWindow | undefined,
  purpose: ConsentQuery['purpose'],
): EbrWindow | undefined {
  if (inquiry === undefined || transaction === undefined) return inquiry ?? transaction;
  if (purpose === 'manual') return inquiry;
  return inquiry.expiresAt > transaction.expiresAt ? inquiry : transaction;
}

/** Adds calendar months in UTC, clamping to the last day of a shorter month. */
function addCalendarMonths(at: number, months: number): number {
  const date = new Date(at);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}
