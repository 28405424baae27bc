import {
  benchAudience,
  progress,
  timed,
  writtenConsent,
  type BenchAgent,
  type BenchRuntime,
} from './bench-runtime';
import { describeOperations, since, type MeterReading } from './dynamo-meter';
import { capacity, fmt, pair, percentiles, type BenchSection } from './measure';

/** The consent bench's figures, and its consented contacts for the pipeline bench to text. */
export type ConsentBenchResult = BenchSection & { agent: BenchAgent; phones: string[] };

const WARM_UP = 20;

/**
 * Issue 4: `POST /v1/contacts/{phone}/consent` through the runtime's HTTP server, one request
 * at a time: an express written consent appended to each contact's hash chain (head read +
 * transaction), then the derived status.
 */
export async function benchConsentAppend(
  bench: BenchRuntime,
  options: { count?: number } = {},
): Promise<ConsentBenchResult> {
  const count = options.count ?? 300;
  const { agent, phones } = await benchAudience(bench, {
    label: 'consent',
    name: 'Consent Bench',
    senderNumber: '+13055550112',
    series: 1,
    count: WARM_UP + count,
    consented: false,
  });

  const append = (phone: string) =>
    bench.call(
      'POST',
      `/v1/contacts/${encodeURIComponent(phone)}/consent`,
      agent.apiKey,
      writtenConsent('Consent Bench'),
    );
  for (const phone of phones.slice(0, WARM_UP)) await append(phone);

  progress(`consent: ${count} appends`);
  const durations: number[] = [];
  const costs: MeterReading[] = [];
  for (const phone of phones.slice(WARM_UP)) {
    const before = bench.meter.snapshot();
    const { ms, value } = await timed(() => append(phone));
    costs.push(since(before, bench.meter.snapshot()));
    if (value.status !== 201)
      throw new Error(`POST consent ${phone}: ${value.status} ${JSON.stringify(value.body)}`);
    durations.push(ms);
  }

  // The median request: a background sweep of the runtime can land inside any one of them.
  const typical = costs.sort((a, b) => a.roundTrips - b.roundTrips)[Math.floor(costs.length / 2)]!;
  const ms = percentiles(durations);
  return {
    title: 'Consent append (local engine)',
    rows: [
      [`POST /v1/contacts/{phone}/consent p50 / p99 (N=${count})`, pair(ms.p50, ms.p99, 'ms')],
      ['DynamoDB round trips per append', `${fmt(typical.roundTrips)}: ${describeOperations(typical, 1)}`],
      ['capacity units per append', capacity(typical.readCapacityUnits, typical.writeCapacityUnits, 1)],
    ],
    agent,
    phones,
  };
}
