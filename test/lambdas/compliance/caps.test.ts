import { evaluateCaps, type RecentSend } from '../../../lambdas/compliance/caps';
import type { Purpose, RecipientLocation } from '../../../lambdas/compliance/types';
import { capRules } from '../../../lambdas/rules/caps';

const HOUR = 3_600_000;
const at = new Date('2026-11-23T15:00:00Z');
const florida = { states: ['FL'], zones: ['America/New_York'] };
const newYork = { states: ['NY'], zones: ['America/New_York'] };

/** The caps' verdict at `at` on a text of `purpose` to `location` after `recentSends`. */
function capsFor(
  purpose: Purpose,
  location: RecipientLocation,
  recentSends: RecentSend[],
  agentSendsToday = 0,
) {
  return evaluateCaps({ at, purpose, location, recentSends, agentSendsToday });
}

function sendsAgo(hours: number[], purpose: RecentSend['purpose'] = 'manual'): RecentSend[] {
  return hours.map((h) => ({ at: new Date(at.getTime() - h * HOUR), purpose }));
}

describe('evaluateCaps', () => {
  it('holds a fourth Florida text in 24 h until the oldest of the last three leaves the window', () => {
    const recentSends = sendsAgo([20, 10, 1]);

    const verdict = capsFor('manual', florida, recentSends);

    expect(verdict.freeAt.toISOString()).toBe(new Date(at.getTime() + 4 * HOUR).toISOString());
    expect(verdict.reasons[0]).toMatch(/FL\/OK\/MD/);
  });

  it('lets a fourth New York manual text go: the 3-per-day cap is Florida, Oklahoma and Maryland only', () => {
    const verdict = capsFor('manual', newYork, sendsAgo([20, 10, 1]));

    expect(verdict).toEqual({ freeAt: at, reasons: [] });
  });

  it('binds a split-signal recipient if any candidate state is capped', () => {
    const verdict = capsFor(
      'manual',
      { states: ['GA', 'MD'], zones: ['America/New_York'] },
      sendsAgo([5, 4, 3]),
    );

    expect(verdict.freeAt.getTime()).toBe(at.getTime() + 19 * HOUR);
  });

  it('allows one automated text per recipient per rolling day, whichever agent sent it', () => {
    const verdict = capsFor('automated', newYork, sendsAgo([23], 'automated'));

    expect(verdict.freeAt.getTime()).toBe(at.getTime() + 1 * HOUR);
  });

  it('does not count keyword confirmations or sends older than the window', () => {
    const recentSends = [...sendsAgo([1, 2, 3], 'confirmation'), ...sendsAgo([25, 30], 'automated')];

    const verdict = capsFor('automated', florida, recentSends);

    expect(verdict).toEqual({ freeAt: at, reasons: [] });
  });

  it('holds an agent over the daily cap until the next UTC day', () => {
    const verdict = capsFor('manual', newYork, [], capRules.agentDaily.max);

    expect(verdict.freeAt.toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('exempts replies to the contact’s own keyword', () => {
    const verdict = capsFor('confirmation', florida, sendsAgo([1, 2, 3]), capRules.agentDaily.max);

    expect(verdict.freeAt).toBe(at);
  });
});
