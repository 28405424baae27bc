import { decide, type GateInput } from '../../lambdas/compliance/gate';
import { locateRecipient } from '../../lambdas/compliance/location';
import type { ConsentEvent } from '../../lambdas/compliance/types';
import { evaluateWindow } from '../../lambdas/compliance/window';
import { decide as frozenDecide } from '../lambdas/compliance/frozen-gate/gate';
import { recordFigure } from './figures';
import { callsPerSecond, type BenchSection } from './measure';

const OPENERS = ['Hi Sam', 'Hello Maria', 'Hey Jordan', 'Good morning Priya', 'Hola Ana', 'Hi there'];
const MIDDLES = [
  'happy one-year home anniversary! Anything I can help with this spring?',
  'homes on your street sold for 4% more this quarter; want the numbers?',
  'the inspection report for the house is in. Call me when you have 10 minutes?',
  'your property tax assessment notices go out next week, happy to review yours.',
  '¿quiere saber cuánto vale su casa hoy? Le preparo un análisis sin costo.',
  'here is the market report: https://harborrealty.example.com/reports/2026-q1',
  'thinking of refinancing? Rates moved again, and I know two good lenders.',
  'a quick reminder that the HOA meeting is Thursday at 7 pm 🏡',
];
const CLOSERS = ['', ' Dana', ' Thanks!', ' Talk soon.'];

/** Bodies as agents write them: different lengths, some with links, accents, an emoji. */
function variedBodies(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `${OPENERS[i % OPENERS.length]}, ${MIDDLES[(i * 7) % MIDDLES.length]}${CLOSERS[(i * 3) % CLOSERS.length]}`,
  );
}

// Recipients as the send path sees them: the contact's state and ZIP (when known) and the
// phone's area code, located on every call. Split-zone and single-zone states both.
const RECIPIENTS = [
  { phone: '+18505550100', state: 'FL', postalCode: '32501' },
  { phone: '+13055550101', state: 'FL' },
  { phone: '+12125550102', state: 'NY', postalCode: '10001' },
  { phone: '+13125550103' },
  { phone: '+15035550104', state: 'OR', postalCode: '97201' },
  { phone: '+16155550105', state: 'TN' },
  { phone: '+12155550106', state: 'PA', postalCode: '19103' },
  { phone: '+17135550107', state: 'TX' },
];

/** Gate throughput on one core: decisions per second with a cached location, and what each part costs. */
export function benchGate(): BenchSection {
  const phone = '+18505550100';
  const events: ConsentEvent[] = Array.from({ length: 12 }, (_, i) => ({
    id: `evt-${i}`,
    agentId: i % 5 === 4 ? '*' : 'agent-a',
    phone,
    channel: 'sms',
    type: i % 5 === 4 ? 'global_opt_out' : i % 3 === 0 ? 'revocation' : 'express_written',
    at: new Date(Date.UTC(2024, i, 1)),
  }));
  const location = locateRecipient({ phone, state: 'FL' });
  const base = Date.parse('2026-11-23T15:00:00Z');
  const input = (i: number, cached: boolean): GateInput => ({
    // Walk through a week in 7-minute steps so held, sent and holiday paths all run.
    at: new Date(base + (i % 1440) * 7 * 60_000),
    purpose: 'automated',
    agent: { id: 'agent-a', name: 'Dana Reyes', brokerage: 'Harbor Realty', suspended: false },
    recipient: cached ? { phone, location } : { phone, state: 'FL' },
    consentEvents: events,
    body: 'Hi Sam, happy one-year home anniversary! Anything I can help with this spring?',
    recentSends: [{ at: new Date(base - 3_600_000), purpose: 'manual' }],
  });
  const cachedInputs = Array.from({ length: 1440 }, (_, i) => input(i, true));
  const uncachedInputs = Array.from({ length: 1440 }, (_, i) => input(i, false));

  const cached = callsPerSecond((i) => decide(cachedInputs[i % 1440]!));
  const uncached = callsPerSecond((i) => decide(uncachedInputs[i % 1440]!));
  // The production path: located per call, bodies and recipients varying, as the worker sees them.
  const bodies = variedBodies(97);
  const productionInputs = Array.from({ length: 1440 }, (_, i): GateInput => {
    const recipient = RECIPIENTS[i % RECIPIENTS.length]!;
    return {
      ...input(i, false),
      purpose: i % 4 === 0 ? 'manual' : 'automated',
      recipient,
      consentEvents: events.map((event) => ({ ...event, phone: recipient.phone })),
      body: bodies[i % bodies.length]!,
    };
  });
  // Against the gate as it was before its throughput work, on the same inputs, interleaved.
  const [live, before] = interleavedRates([
    (i) => decide(productionInputs[i % 1440]!),
    (i) => frozenDecide(productionInputs[i % 1440]!),
  ]) as [Rates, Rates];
  const [production, frozen] = [live.wall, before.wall];
  recordFigure('gate.productionPerSecond', production);
  recordFigure('gate.frozenProductionPerSecond', frozen);
  recordFigure('gate.productionSpeedup', production / frozen);
  recordFigure('gate.productionPerCpuSecond', live.cpu);
  recordFigure('gate.frozenProductionPerCpuSecond', before.cpu);
  recordFigure('gate.locatedPerCallPerSecond', uncached);
  recordFigure('gate.cachedLocationPerSecond', cached);
  const sendInputs = cachedInputs.filter((one) => decide(one).verdict === 'send');
  const holdInputs = cachedInputs.filter((one) => decide(one).verdict === 'hold');
  const sendPath = callsPerSecond((i) => decide(sendInputs[i % sendInputs.length]!));
  const holdPath = callsPerSecond((i) => decide(holdInputs[i % holdInputs.length]!));
  const windowOnly = callsPerSecond((i) =>
    evaluateWindow({ location, at: cachedInputs[i % 1440]!.at, purpose: 'automated' }),
  );
  const rows: Array<[string, string]> = [
    [
      'decide on the production path: located per call, varied bodies and recipients (calls/s)',
      fmt(production),
    ],
    [
      '  the gate before its throughput work (test/…/frozen-gate), same inputs, interleaved (calls/s)',
      `${fmt(frozen)} (live ÷ frozen ${(production / frozen).toFixed(2)}×)`,
    ],
    [
      '  the same rounds per CPU-second of this process (time spent waiting for a shared core left out)',
      `${fmt(live.cpu)} (frozen ${fmt(before.cpu)}, ${(live.cpu / before.cpu).toFixed(2)}×)`,
    ],
    ['decide, cached location (calls/s)', fmt(cached)],
    ['  of which verdict send (calls/s)', fmt(sendPath)],
    ['  of which verdict hold (calls/s)', fmt(holdPath)],
    ['decide, located per call, one body (calls/s)', fmt(uncached)],
    ['evaluateWindow alone (calls/s)', fmt(windowOnly)],
    ['locate-per-call / cached ratio', (uncached / cached).toFixed(2)],
    ['hold / send path ratio', (holdPath / sendPath).toFixed(2)],
    [
      'send-verdict share of the week walk',
      `${Math.round((sendInputs.length / cachedInputs.length) * 100)}%`,
    ],
  ];
  return { title: 'Compliance gate (one core)', rows };
}

/** Calls per second of wall-clock time, and per second of this process's CPU time. */
type Rates = { wall: number; cpu: number };

/**
 * Like `interleavedCallsPerSecond` (alternating rounds, best round kept, same warm-up), with the
 * process's CPU time read over each round too: on a shared machine the wall-clock rate also
 * measures how often the scheduler gave the bench a core, the CPU-time rate only the code.
 */
function interleavedRates(fns: ReadonlyArray<(i: number) => unknown>, rounds = 6, msPerRound = 400): Rates[] {
  const best = fns.map((): Rates => ({ wall: 0, cpu: 0 }));
  for (let round = 0; round < rounds; round++) {
    fns.forEach((fn, index) => {
      for (let i = 0; i < 2000; i++) fn(i);
      const budget = BigInt(msPerRound) * 1_000_000n;
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      let calls = 0;
      let elapsed = 0n;
      while (elapsed < budget) {
        for (let i = 0; i < 1000; i++) fn(calls + i);
        calls += 1000;
        elapsed = process.hrtime.bigint() - start;
      }
      const cpu = process.cpuUsage(cpuStart);
      const rates = best[index]!;
      rates.wall = Math.max(rates.wall, calls / (Number(elapsed) / 1e9));
      rates.cpu = Math.max(rates.cpu, calls / ((cpu.user + cpu.system) / 1e6));
    });
  }
  return best;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
