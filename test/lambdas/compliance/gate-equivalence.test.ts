import fc from 'fast-check';
import { decide, type GateInput } from '../../../lambdas/compliance/gate';
import type { ConsentEvent, ConsentEventType } from '../../../lambdas/compliance/types';
import { decide as frozenDecide } from './frozen-gate/gate';

const AGENT = 'agent-a';
const PHONES = [
  '+13055550100',
  '+18505550101',
  '+12125550102',
  '+13125550103',
  '+19075550104',
  '+1808555010',
];
const STATES = [undefined, 'FL', 'NY', 'TX', 'OR', 'RI', 'PA', 'AZ', 'IN', 'xx', ' ca '];
const POSTAL_CODES = [undefined, '32501', '10001', '97201-1234', '85001', '99999', 'abc'];
const ZONES = [
  undefined,
  'America/New_York',
  'us/eastern',
  'America/Phoenix',
  'Pacific/Honolulu',
  '-05:00',
  'Mars/Base',
];
const EVENT_TYPES: ConsentEventType[] = [
  'express_written',
  'ebr_transaction',
  'ebr_inquiry',
  'revocation',
  'global_opt_out',
];
const BODIES = [
  'Hi Sam, happy one-year home anniversary!',
  'Dana Reyes (Harbor Realty): the inspection is at 4. Reply STOP to opt out',
  '¿Quiere saber cuánto vale su casa? 🏡',
  'Market report: https://bit.ly/abc and https://harborrealty.example.com/q1',
  'Free cannabis tasting at the open house',
  'x'.repeat(170),
];

const instant = (from: string, to: string) =>
  fc.integer({ min: Date.parse(from), max: Date.parse(to) }).map((ms) => new Date(ms));

const consentEvent = (phone: string) =>
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 6 }),
    agentId: fc.constantFrom(AGENT, '*', 'agent-b'),
    phone: fc.constant(phone),
    channel: fc.constantFrom('sms' as const, 'email' as const, 'voice' as const),
    type: fc.constantFrom(...EVENT_TYPES),
    at: instant('2015-01-01T00:00:00Z', '2031-01-01T00:00:00Z'),
    method: fc.constantFrom(undefined, 'signed_form', 'web_form', 'business_card'),
  }) as fc.Arbitrary<ConsentEvent>;

const gateInput: fc.Arbitrary<GateInput> = fc
  .record({
    phone: fc.constantFrom(...PHONES),
    state: fc.constantFrom(...STATES),
    postalCode: fc.constantFrom(...POSTAL_CODES),
    timeZone: fc.constantFrom(...ZONES),
  })
  .chain((recipient) =>
    fc.record({
      at: instant('2025-01-01T00:00:00Z', '2031-01-01T00:00:00Z'),
      purpose: fc.constantFrom('automated' as const, 'manual' as const, 'confirmation' as const),
      agent: fc.record({
        id: fc.constant(AGENT),
        name: fc.constantFrom('Dana Reyes', 'Li'),
        brokerage: fc.constantFrom(undefined, 'Harbor Realty'),
        suspended: fc.constantFrom(false, false, false, true),
      }),
      recipient: fc.constant(recipient),
      consentEvents: fc.array(consentEvent(recipient.phone), { maxLength: 6 }),
      body: fc.oneof(fc.constantFrom(...BODIES), fc.string({ maxLength: 200 })),
      recentSends: fc.option(
        fc.array(
          fc.record({
            at: instant('2024-12-30T00:00:00Z', '2031-01-01T00:00:00Z'),
            purpose: fc.constantFrom('automated' as const, 'manual' as const, 'confirmation' as const),
          }),
          { maxLength: 5 },
        ),
        { nil: undefined },
      ),
      agentSendsToday: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
      doubleOptIn: fc.option(
        fc.record({
          status: fc.constantFrom(
            'not_sent' as const,
            'sent' as const,
            'accepted' as const,
            'rejected' as const,
          ),
          isOptInRequest: fc.boolean(),
        }),
        { nil: undefined },
      ),
    }),
  );

/** The decision as it is stored and shown: the receipt's JSON, byte for byte. */
const serialized = (decision: ReturnType<typeof decide>) =>
  JSON.stringify({ ...decision, releaseAt: decision.releaseAt?.toISOString() });

describe('decide, equivalent to the gate before its throughput work', () => {
  it('produces byte-identical decisions and receipts on random inputs', () => {
    fc.assert(
      fc.property(gateInput, (input) => {
        expect(serialized(decide(input))).toBe(serialized(frozenDecide(input)));
      }),
      { numRuns: 1_500 },
    );
  });

  it('stays identical with blackouts that cannot bind: over before any decision, or the text not automated', () => {
    const over = fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      states: fc.array(fc.constantFrom('FL', 'NY', 'TX', 'LA', 'PA', 'RI'), { minLength: 1, maxLength: 3 }),
      start: instant('2020-01-01T00:00:00Z', '2024-06-01T00:00:00Z'),
      reason: fc.constantFrom('Hurricane', 'Wildfire'),
    });
    const ended = over.map((blackout) => ({
      ...blackout,
      end: new Date(Math.min(blackout.start.getTime() + 30 * 86_400_000, Date.parse('2024-12-31T00:00:00Z'))),
    }));
    const anyTime = fc.tuple(over, fc.integer({ min: 1, max: 60 * 86_400_000 })).map(([blackout, ms]) => ({
      ...blackout,
      start: new Date(Date.parse('2025-01-01T00:00:00Z')),
      end: new Date(Date.parse('2031-01-01T00:00:00Z') + ms),
    }));
    fc.assert(
      fc.property(
        gateInput,
        fc.array(ended, { maxLength: 3 }),
        anyTime,
        fc.constantFrom('manual' as const, 'confirmation' as const),
        (input, past, inForce, notAutomated) => {
          const manual = { ...input, purpose: notAutomated };
          expect(serialized(decide({ ...input, blackouts: past }))).toBe(serialized(frozenDecide(input)));
          expect(serialized(decide({ ...manual, blackouts: [...past, inForce] }))).toBe(
            serialized(frozenDecide(manual)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays identical at instants in and around one UTC minute (window verdicts are kept per minute)', () => {
    fc.assert(
      fc.property(
        gateInput,
        fc.array(fc.integer({ min: -300_000, max: 300_000 }), { minLength: 1, maxLength: 4 }),
        (input, offsets) => {
          const start = Math.floor(input.at.getTime() / 60_000) * 60_000;
          const edges = [start - 1, start, start + 59_999, start + 60_000];
          const instants = [input.at.getTime(), ...edges, ...offsets.map((offset) => start + offset)];
          for (const ms of instants) {
            const again = { ...input, at: new Date(ms) };
            expect(serialized(decide(again))).toBe(serialized(frozenDecide(again)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays identical when the same recipient is decided again at other instants (caches warm)', () => {
    fc.assert(
      fc.property(
        gateInput,
        fc.array(instant('2025-01-01T00:00:00Z', '2031-01-01T00:00:00Z'), { minLength: 1, maxLength: 5 }),
        (input, instants) => {
          for (const at of instants) {
            const again = { ...input, at };
            expect(serialized(decide(again))).toBe(serialized(frozenDecide(again)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
