import {
  applyNumberCheck,
  lastVerifiedDate,
  numberCheckOutcome,
  reassignedCheckDue,
  reassignedSince,
  type NumberCheck,
} from '../../../lambdas/compliance/number-check';
import { decide } from '../../../lambdas/compliance/gate';
import { numberCheckRules } from '../../../lambdas/rules/number-checks';

const DAY = 86_400_000;
const at = new Date('2026-07-01T15:00:00Z');
const consent = { at: new Date('2026-01-10T16:00:00Z'), recordedAt: new Date('2026-01-10T16:05:00Z') };
const recheck = numberCheckRules.recheckAfterDays;

function check(daysAgo: number, answer: NumberCheck['answer'], verified = '2026-01-10'): NumberCheck {
  return { checkedAt: new Date(at.getTime() - daysAgo * DAY), lastVerifiedDate: verified, answer };
}

describe('lastVerifiedDate', () => {
  it.each([
    ['the consent when there is no inbound text', undefined, '2026-01-10'],
    ['the later inbound text', new Date('2026-03-02T09:00:00Z'), '2026-03-02'],
    ['the consent when the inbound text is older', new Date('2025-12-01T09:00:00Z'), '2026-01-10'],
  ])('is %s', (_, inbound, expected) => {
    // act
    const day = lastVerifiedDate(consent.at, inbound);

    // assess
    expect(day).toBe(expected);
  });
});

describe('reassignedCheckDue', () => {
  it.each<[string, NumberCheck | undefined, boolean]>([
    ['due with no check on record', undefined, true],
    [
      'due when the only check predates the consent',
      { ...check(0, 'not_reassigned'), checkedAt: new Date('2026-01-09T00:00:00Z') },
      true,
    ],
    ['not due with a fresh "no"', check(3, 'not_reassigned'), false],
    ['not due with a fresh "no data"', check(3, 'no_data'), false],
    [`not due on day ${recheck}`, check(recheck, 'not_reassigned'), false],
    [`due after ${recheck} days`, check(recheck + 1, 'not_reassigned'), true],
    ['due when a "no" was asked since a later day than ours', check(3, 'not_reassigned', '2026-02-01'), true],
    ['not due when a "no" was asked since an earlier day', check(3, 'not_reassigned', '2025-12-01'), false],
    ['not due when a "yes" was asked since a later day', check(3, 'reassigned', '2026-02-01'), false],
    ['due when a "yes" was asked since an earlier day', check(3, 'reassigned', '2025-12-01'), true],
  ])('is %s', (_, lastCheck, due) => {
    // act
    const verdict = reassignedCheckDue({ at, consent, lastCheck });

    // assess
    expect(verdict.due).toBe(due);
    expect(verdict.lastVerifiedDate).toBe('2026-01-10');
  });

  it('asks since the contact’s last inbound text when it is later than the consent', () => {
    // act
    const verdict = reassignedCheckDue({ at, consent, lastInboundAt: new Date('2026-05-04T12:00:00Z') });

    // assess
    expect(verdict).toMatchObject({ due: true, lastVerifiedDate: '2026-05-04' });
  });
});

describe('numberCheckOutcome', () => {
  it('blocks a reassigned number and dates the reassignment the day after the last verified day', () => {
    // act
    const outcome = numberCheckOutcome(at, { kind: 'answer', check: check(0, 'reassigned'), cached: false });

    // assess
    expect(outcome.action).toBe('block');
    if (outcome.action !== 'block') return;
    expect(outcome.reassignedAt.toISOString()).toBe('2026-01-11T00:00:00.000Z');
    expect(outcome.reason).toMatch(/reassigned since 2026-01-10/);
  });

  it.each<[NumberCheck['answer'], RegExp]>([
    ['not_reassigned', /not reassigned since 2026-01-10/],
    ['no_data', /no data/],
  ])('lets the text go on "%s" and records date, answer and cache age', (answer, note) => {
    // act
    const outcome = numberCheckOutcome(at, { kind: 'answer', check: check(4, answer), cached: true });

    // assess
    expect(outcome.action).toBe('go');
    expect(outcome.receipt).toMatchObject({ answer, cacheAgeDays: 4, lastVerifiedDate: '2026-01-10' });
    expect(outcome.receipt.checkedAt).toBe(check(4, answer).checkedAt.toISOString());
    expect(outcome.receipt.note).toMatch(note);
  });

  it.each([
    [1, 0, numberCheckRules.retry.firstDelayMinutes],
    [2, 0.1, numberCheckRules.retry.firstDelayMinutes * 2],
    [3, 0.5, numberCheckRules.retry.firstDelayMinutes * 4],
    [20, 10, numberCheckRules.retry.maxDelayMinutes],
  ])('holds after failure %i (%f h in) with a doubling, capped delay', (count, hoursIn, minutes) => {
    // prepare
    const since = new Date(at.getTime() - hoursIn * 3_600_000);

    // act
    const outcome = numberCheckOutcome(at, {
      kind: 'failed',
      lastVerifiedDate: '2026-01-10',
      reason: 'timeout',
      failures: { since, count },
    });

    // assess
    expect(outcome.action).toBe('hold');
    if (outcome.action !== 'hold') return;
    expect(outcome.releaseAt.getTime() - at.getTime()).toBe(minutes * 60_000);
  });

  it('never holds past the give-up period, then asks for review', () => {
    // prepare
    const hours = numberCheckRules.retry.giveUpAfterHours;
    const since = new Date(at.getTime() - (hours - 0.5) * 3_600_000);
    const failed = { kind: 'failed', lastVerifiedDate: '2026-01-10', reason: 'HTTP 503' } as const;

    // act
    const nearEnd = numberCheckOutcome(at, { ...failed, failures: { since, count: 9 } });
    const atEnd = numberCheckOutcome(new Date(since.getTime() + hours * 3_600_000), {
      ...failed,
      failures: { since, count: 10 },
    });

    // assess
    expect(nearEnd).toMatchObject({
      action: 'hold',
      releaseAt: new Date(since.getTime() + hours * 3_600_000),
    });
    expect(atEnd.action).toBe('review');
  });
});

describe('applyNumberCheck', () => {
  const decision = decide({
    at,
    purpose: 'automated',
    agent: { id: 'a1', name: 'Dana Reyes', brokerage: 'Harbor Realty', suspended: false },
    recipient: { phone: '+13055550123', location: { states: ['NY'], zones: ['America/New_York'] } },
    consentEvents: [
      {
        id: 'c1',
        agentId: 'a1',
        phone: '+13055550123',
        channel: 'sms',
        type: 'express_written',
        at: consent.at,
      },
    ],
    body: 'Hello',
  });

  it('starts from a send', () => {
    expect(decision.verdict).toBe('send');
  });

  it.each([
    ['go', 'send'],
    ['block', 'block'],
    ['hold', 'hold'],
  ] as const)('turns "%s" into %s with the check in the receipt', (action, verdict) => {
    // prepare
    const receipt = { lastVerifiedDate: '2026-01-10', note: 'x' };
    const outcome =
      action === 'go'
        ? ({ action, receipt } as const)
        : action === 'block'
          ? ({ action, receipt, reason: 'reassigned', reassignedAt: reassignedSince('2026-01-10') } as const)
          : ({ action, receipt, reason: 'timeout', releaseAt: new Date(at.getTime() + 300_000) } as const);

    // act
    const applied = applyNumberCheck(decision, outcome);

    // assess
    expect(applied.verdict).toBe(verdict);
    expect(applied.receipt.verdict).toBe(verdict);
    expect(applied.receipt.numberCheck).toEqual(receipt);
    expect(applied.receipt.reasons).toEqual(action === 'go' ? decision.receipt.reasons : [outcome.reason]);
    expect(applied.releaseAt).toEqual(action === 'hold' ? outcome.releaseAt : undefined);
  });
});
