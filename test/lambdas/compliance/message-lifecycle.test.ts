import {
  AWAITING_ANSWER,
  canMove,
  canMoveInbound,
  DECIDABLE,
  FINAL_STATUSES,
  INBOUND_STATUSES,
  INITIAL_STATUSES,
  isFinal,
  MESSAGE_STATUSES,
  retentionExpiry,
  sourcesOf,
  statusOfCallback,
  STOPPABLE,
  type InboundStatus,
  type MessageStatus,
} from '../../../lambdas/compliance/message-lifecycle';

// The moves the use cases make, each with who makes it: the spec the table must match exactly.
const OUTBOUND_MOVES: [MessageStatus, MessageStatus, string][] = [
  ['scheduled', 'scheduled', 'the agent edits an upcoming step'],
  ['scheduled', 'queued', 'the sweep queues a due step'],
  ['scheduled', 'cancelled', 'the enrollment stops'],
  ['queued', 'scheduled', 'the send queue refused a swept step'],
  ['queued', 'held', 'the gate holds it'],
  ['queued', 'sending', 'a worker claims it'],
  ['queued', 'blocked', 'the gate blocks it'],
  ['queued', 'failed', 'the send queue refused a new text'],
  ['queued', 'cancelled', 'the enrollment stops'],
  ['queued', 'needs_review', 'the reassigned-number check kept failing'],
  ['held', 'held', 'a release came back early and is booked again'],
  ['held', 'sending', 'a worker claims the released text'],
  ['held', 'blocked', 'the gate blocks it on release'],
  ['held', 'cancelled', 'the enrollment stops'],
  ['held', 'needs_review', 'the reassigned-number check kept failing'],
  ['sending', 'sent', 'Twilio accepted it'],
  ['sending', 'delivered', "Twilio's callback overtook the worker's record of the answer"],
  ['sending', 'undelivered', 'the same, for a text not delivered'],
  ['sending', 'queued', 'Twilio answered 5xx/429: retry'],
  ['sending', 'held', 'a blackout declared while the worker was deciding'],
  ['sending', 'blocked', 'a late opt-out, a suspension or error 21610'],
  ['sending', 'failed', 'Twilio refused it'],
  ['sending', 'needs_review', "no answer from Twilio, or a crashed worker's claim"],
  ['needs_review', 'sent', "the worker that got Twilio's answer corrects a review"],
  ['needs_review', 'queued', 'the same, for a retryable answer'],
  ['needs_review', 'blocked', 'the same, for error 21610'],
  ['needs_review', 'failed', 'the same, for a refusal'],
  ['sent', 'delivered', 'status callback'],
  ['sent', 'undelivered', 'status callback'],
  ['sent', 'failed', 'status callback'],
];

const INBOUND_MOVES: [InboundStatus, InboundStatus][] = [
  ['processing', 'processing'],
  ['processing', 'handled'],
  ['processing', 'interrupted'],
  ['interrupted', 'processing'],
];

function reachableFrom(starts: readonly MessageStatus[]): Set<MessageStatus> {
  const seen = new Set(starts);
  const queue = [...starts];
  for (let status = queue.shift(); status !== undefined; status = queue.shift()) {
    for (const next of MESSAGE_STATUSES) {
      if (canMove(status, next) && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('message lifecycle', () => {
  describe('canMove', () => {
    const pairs = MESSAGE_STATUSES.flatMap((from) => MESSAGE_STATUSES.map((to) => [from, to] as const));
    const allowed = new Set(OUTBOUND_MOVES.map(([from, to]) => `${from}→${to}`));

    it.each(pairs)('answers %s → %s as the spec of moves says', (from, to) => {
      // act
      const answer = canMove(from, to);

      // assess
      expect(answer).toBe(allowed.has(`${from}→${to}`));
    });

    it('checks every one of the 11 × 11 pairs', () => {
      expect(pairs).toHaveLength(MESSAGE_STATUSES.length ** 2);
      expect(MESSAGE_STATUSES).toHaveLength(11);
    });
  });

  describe('properties', () => {
    it('gives the final statuses no way out', () => {
      for (const status of FINAL_STATUSES) {
        expect(MESSAGE_STATUSES.filter((to) => canMove(status, to))).toStrictEqual([]);
      }
      expect([...FINAL_STATUSES].sort()).toStrictEqual([
        'blocked',
        'cancelled',
        'delivered',
        'failed',
        'undelivered',
      ]);
    });

    it('reaches every status from the first status of a drip step', () => {
      expect([...reachableFrom(['scheduled'])].sort()).toStrictEqual([...MESSAGE_STATUSES].sort());
      expect(INITIAL_STATUSES.every((status) => !isFinal(status))).toBe(true);
    });

    it('lets every non-final status end: a final status is reachable from each', () => {
      for (const status of MESSAGE_STATUSES) {
        expect([...reachableFrom([status])].some(isFinal)).toBe(true);
      }
    });

    it('never returns a text to the queue once Twilio reported on it', () => {
      const afterTwilio = reachableFrom(['sent']);
      expect(
        [...afterTwilio].filter((status) => DECIDABLE.includes(status) || status === 'sending'),
      ).toStrictEqual([]);
    });
  });

  describe('derived sets', () => {
    it('decides only what no worker has handed to Twilio, and stops only that', () => {
      expect(DECIDABLE).toStrictEqual(['queued', 'held']);
      expect(STOPPABLE).toStrictEqual(['scheduled', 'queued', 'held']);
      expect(AWAITING_ANSWER).toStrictEqual(['sending', 'needs_review']);
    });

    it("moves a text forward only on Twilio's callbacks that say where it is", () => {
      expect(['accepted', 'queued', 'sending', 'read', 'constructor'].map(statusOfCallback)).toStrictEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(sourcesOf(statusOfCallback('delivered')!)).toStrictEqual(['sending', 'sent']);
      expect(sourcesOf(statusOfCallback('sent')!)).toStrictEqual(['sending', 'needs_review']);
    });
  });

  describe('inbound', () => {
    const pairs = INBOUND_STATUSES.flatMap((from) => INBOUND_STATUSES.map((to) => [from, to] as const));
    const allowed = new Set(INBOUND_MOVES.map(([from, to]) => `${from}→${to}`));

    it.each(pairs)('answers %s → %s as the spec of moves says', (from, to) => {
      expect(canMoveInbound(from, to)).toBe(allowed.has(`${from}→${to}`));
    });

    it('shares no status name with the texts ConsentLine sends', () => {
      expect(
        INBOUND_STATUSES.filter((status) => (MESSAGE_STATUSES as string[]).includes(status)),
      ).toStrictEqual([]);
    });
  });

  describe('retentionExpiry', () => {
    it('keeps a record six calendar years, more than the five RULES §6 asks', () => {
      // act
      const expiry = retentionExpiry(new Date('2028-02-29T12:00:00Z'));

      // assess
      expect(new Date(expiry * 1000).toISOString()).toBe('2034-03-01T12:00:00.000Z');
      expect(expiry - Date.parse('2033-02-28T12:00:00Z') / 1000).toBeGreaterThan(0);
    });
  });
});
