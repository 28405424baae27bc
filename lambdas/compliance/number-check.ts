import { numberCheckRules } from '../rules/number-checks';
import type { Decision } from './gate';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Twilio Lookup v2 `reassigned_number.is_number_reassigned`: `yes`, `no`, `no_data_available`. */
export type ReassignedAnswer = 'reassigned' | 'not_reassigned' | 'no_data';

/** One reassigned-number answer for a phone, as cached per phone. */
export type NumberCheck = {
  checkedAt: Date;
  /** `YYYY-MM-DD` (UTC): the day the number was last known to be the contact's. */
  lastVerifiedDate: string;
  answer: ReassignedAnswer;
};

export type CheckDueQuery = {
  at: Date;
  /** The consent the automated text relies on: when it was given and when it was recorded. */
  consent: { at: Date; recordedAt?: Date };
  /** The contact's latest text to us: proof the number was theirs then. */
  lastInboundAt?: Date;
  /** The latest cached answer for the phone, from any agent's check. */
  lastCheck?: NumberCheck;
};

export type CheckDue =
  | { due: true; lastVerifiedDate: string; reason: string }
  | { due: false; lastVerifiedDate: string; check: NumberCheck; ageDays: number };

/** Failures of the current run of checks for one message: when the first one happened and how many. */
export type CheckFailures = { since: Date; count: number };

export type CheckAttempt =
  | { kind: 'answer'; check: NumberCheck; cached: boolean }
  | { kind: 'failed'; lastVerifiedDate: string; reason: string; failures: CheckFailures };

/** What the receipt records of the check (RULES §6): the date, the answer and how old it was. */
export type NumberCheckReceipt = {
  lastVerifiedDate: string;
  checkedAt?: string;
  answer?: ReassignedAnswer;
  cacheAgeDays?: number;
  failures?: { since: string; count: number };
  note: string;
};

export type CheckOutcome =
  | { action: 'go'; receipt: NumberCheckReceipt }
  | { action: 'block'; reason: string; reassignedAt: Date; receipt: NumberCheckReceipt }
  | { action: 'hold'; reason: string; releaseAt: Date; receipt: NumberCheckReceipt }
  | { action: 'review'; reason: string; receipt: NumberCheckReceipt };

/**
 * The `LastVerifiedDate` to ask the Reassigned Numbers Database with: the later of the consent
 * relied on and the contact's last inbound text, as a UTC calendar day.
 *
 * @example lastVerifiedDate(new Date('2026-01-10T15:00:00Z'), new Date('2026-03-02T09:00:00Z')) // '2026-03-02'
 */
export function lastVerifiedDate(consentAt: Date, lastInboundAt?: Date): string {
  const latest = Math.max(consentAt.getTime(), lastInboundAt?.getTime() ?? Number.NEGATIVE_INFINITY);
  return new Date(latest).toISOString().slice(0, 10);
}

/**
 * Whether an automated text needs a fresh reassigned-number check (RULES §1, §3): before the
 * first automated text after the consent it relies on, and before any automated text once the
 * last check is older than the recheck period. A cached answer is reused only when it still
 * speaks for this consent: `no`/no data since a day no later than ours, or `yes` since a day no
 * earlier than ours (a number reassigned since a later day was reassigned since ours too).
 */
export function reassignedCheckDue(q: CheckDueQuery): CheckDue {
  const verified = lastVerifiedDate(q.consent.at, q.lastInboundAt);
  const check = q.lastCheck;
  if (check === undefined)
    return { due: true, lastVerifiedDate: verified, reason: 'no check of this phone on record' };
  const consentKnownAt = (q.consent.recordedAt ?? q.consent.at).getTime();
  if (check.checkedAt.getTime() < consentKnownAt) {
    return {
      due: true,
      lastVerifiedDate: verified,
      reason: 'first automated text since the consent relied on',
    };
  }
  const ageMs = q.at.getTime() - check.checkedAt.getTime();
  if (ageMs > numberCheckRules.recheckAfterDays * DAY_MS) {
    const days = Math.floor(ageMs / DAY_MS);
    return {
      due: true,
      lastVerifiedDate: verified,
      reason: `last check is ${days} days old (rechecked after ${numberCheckRules.recheckAfterDays})`,
    };
  }
  const speaksForUs =
    check.answer === 'reassigned' ? check.lastVerifiedDate >= verified : check.lastVerifiedDate <= verified;
  if (!speaksForUs) {
    return {
      due: true,
      lastVerifiedDate: verified,
      reason: `the cached check asked since ${check.lastVerifiedDate}, this consent needs since ${verified}`,
    };
  }
  return { due: false, lastVerifiedDate: verified, check, ageDays: Math.floor(ageMs / DAY_MS) };
}

/**
 * The instant a `yes` answer dates the reassignment at: the start of the UTC day after the last
 * verified day. The database only says "since that day", so every consent dated on or before it
 * is void, and a consent dated later is left for its own check to confirm.
 */
export function reassignedSince(lastVerified: string): Date {
  return new Date(Date.parse(`${lastVerified}T00:00:00.000Z`) + DAY_MS);
}

/**
 * What an automated text does with the check (RULES §1): reassigned → block (and the caller
 * records `number_reassigned`); not reassigned or no data → go, with the answer in the receipt;
 * a failed, timed-out or unparsable check → hold and retry with doubling delays, and after the
 * give-up period a human reviews it. A text never goes with a due check not done.
 */
export function numberCheckOutcome(at: Date, attempt: CheckAttempt): CheckOutcome {
  if (attempt.kind === 'failed') return failedCheckOutcome(at, attempt);
  const { check } = attempt;
  const base = {
    lastVerifiedDate: check.lastVerifiedDate,
    checkedAt: check.checkedAt.toISOString(),
    answer: check.answer,
    cacheAgeDays: attempt.cached ? Math.floor((at.getTime() - check.checkedAt.getTime()) / DAY_MS) : 0,
  };
  switch (check.answer) {
    case 'reassigned': {
      const reason = `the number was reassigned since ${check.lastVerifiedDate}, the last day it was known to be the contact's (FCC Reassigned Numbers Database)`;
      return {
        action: 'block',
        reason,
        reassignedAt: reassignedSince(check.lastVerifiedDate),
        receipt: { ...base, note: 'reassigned' },
      };
    }
    case 'not_reassigned':
      return { action: 'go', receipt: { ...base, note: `not reassigned since ${check.lastVerifiedDate}` } };
    case 'no_data':
      return { action: 'go', receipt: { ...base, note: 'no data: the database cannot tell' } };
  }
}

function failedCheckOutcome(at: Date, attempt: Extract<CheckAttempt, { kind: 'failed' }>): CheckOutcome {
  const { reason, failures } = attempt;
  const { retry } = numberCheckRules;
  const giveUpAt = failures.since.getTime() + retry.giveUpAfterHours * HOUR_MS;
  const receipt: NumberCheckReceipt = {
    lastVerifiedDate: attempt.lastVerifiedDate,
    failures: { since: failures.since.toISOString(), count: failures.count },
    note: `check failed: ${reason}`,
  };
  if (at.getTime() >= giveUpAt) {
    return {
      action: 'review',
      reason: `reassigned-number check failing for ${retry.giveUpAfterHours} h (${failures.count} attempts, last: ${reason}); not sent without it`,
      receipt,
    };
  }
  const delayMinutes = Math.min(retry.firstDelayMinutes * 2 ** (failures.count - 1), retry.maxDelayMinutes);
  const releaseAt = new Date(Math.min(at.getTime() + delayMinutes * MINUTE_MS, giveUpAt));
  return {
    action: 'hold',
    reason: `reassigned-number check failed (${reason}); retried at ${releaseAt.toISOString()}, never sent without it`,
    releaseAt,
    receipt,
  };
}

/**
 * A send decision with the check applied: `go` keeps it and adds the check to the receipt;
 * `block`/`hold` turn it into a block or a hold with the check's reason. Decisions that were not
 * `send` are left as they are: the check runs only right before a text would go.
 */
export function applyNumberCheck(
  decision: Decision,
  outcome: Exclude<CheckOutcome, { action: 'review' }>,
): Decision {
  if (decision.verdict !== 'send') return decision;
  const numberCheck = outcome.receipt;
  if (outcome.action === 'go') return { ...decision, receipt: { ...decision.receipt, numberCheck } };
  const verdict = outcome.action;
  const releaseAt = outcome.action === 'hold' ? outcome.releaseAt : undefined;
  return {
    ...decision,
    verdict,
    releaseAt,
    receipt: {
      ...decision.receipt,
      verdict,
      numberCheck,
      releaseAt: releaseAt?.toISOString(),
      reasons: [outcome.reason],
    },
  };
}

/** A send decision turned into a block for `reason` (e.g. a landline: SMS cannot reach it). */
export function blockDecision(decision: Decision, reason: string): Decision {
  return {
    ...decision,
    verdict: 'block',
    releaseAt: undefined,
    receipt: { ...decision.receipt, verdict: 'block', releaseAt: undefined, reasons: [reason] },
  };
}
