import { decide, type GateInput } from '../../lambdas/compliance/gate';
import { locateRecipient } from '../../lambdas/compliance/location';
import type { ConsentEvent } from '../../lambdas/compliance/types';
import { evaluateWindow } from '../../lambdas/compliance/window';
import { callsPerSecond, type BenchSection } from './measure';

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
  const sendInputs = cachedInputs.filter((one) => decide(one).verdict === 'send');
  const holdInputs = cachedInputs.filter((one) => decide(one).verdict === 'hold');
  const sendPath = callsPerSecond((i) => decide(sendInputs[i % sendInputs.length]!));
  const holdPath = callsPerSecond((i) => decide(holdInputs[i % holdInputs.length]!));
  const windowOnly = callsPerSecond((i) =>
    evaluateWindow({ location, at: cachedInputs[i % 1440]!.at, purpose: 'automated' }),
  );
  const rows: Array<[string, string]> = [
    ['decide, cached location (calls/s)', fmt(cached)],
    ['  of which verdict send (calls/s)', fmt(sendPath)],
    ['  of which verdict hold (calls/s)', fmt(holdPath)],
    ['decide, located per call (calls/s)', fmt(uncached)],
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

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
