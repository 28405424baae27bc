import {
  createTables,
  documentClient,
  dynamoStores,
  prefixedTableNames,
} from '../../lambdas/adapters/dynamo';
import { DUE_SHARDS } from '../../lambdas/adapters/dynamo/message-item';
import { dueAtFor, utcDay } from '../../lambdas/compliance/cadence';
import { dueStepsPerDay, steadyStateDuePerDay } from '../../lambdas/compliance/cadence-load';
import { localDynamoClient } from '../../lambdas/local/engines/aws-clients';
import { defaultCadence } from '../../lambdas/rules/cadence';
import { appendConsent } from '../../lambdas/usecases/append-consent';
import { createAgent } from '../../lambdas/usecases/create-agent';
import type { Deps } from '../../lambdas/usecases/deps';
import { mapBounded } from '../../lambdas/usecases/bounded';
import { enrollContact } from '../../lambdas/usecases/enroll';
import { sweepDueSteps } from '../../lambdas/usecases/sweep';
import { upsertContact } from '../../lambdas/usecases/upsert-contact';
import { benchPhones, progress, type BenchRuntime } from './bench-runtime';
import { describeOperations, meterDynamo, since } from './dynamo-meter';
import { fmt, type BenchSection } from './measure';
import { queueOneByOne } from '../../lambdas/adapters/sqs/queue-one-by-one';

const DAY_MS = 86_400_000;
const AT_SCALE = 100_000;
/** The first day swept; contacts enrolled over the year before it. */
const FIRST_SWEEP_DAY = Date.parse('2027-03-10T00:00:00Z');

export type SweepBenchOptions = {
  /** Contacts enrolled, evenly over the year before the first sweep day. */
  contacts?: number;
  /** Consecutive one-day sweeps. */
  days?: number;
};

/**
 * Issue 6: items the drip sweep reads per day. Analytic at 100k enrolled contacts (the cadence
 * load model), and measured: contacts enrolled through the production use cases over a year on
 * tables of the bench's own (same engine as the runtime, so the runtime's sweep stays apart),
 * then one-day sweeps, each compared with the steps that fall due that day.
 *
 * The sweep's queue is a counter: this bench measures reads, the pipeline bench measures sends.
 */
export async function benchSweep(
  bench: BenchRuntime,
  options: SweepBenchOptions = {},
): Promise<BenchSection> {
  const contacts = options.contacts ?? 500;
  const days = options.days ?? 7;
  const client = localDynamoClient(bench.runtime.engines.dynamoEndpoint);
  const tables = prefixedTableNames(`benchsweep${process.pid}_`);
  await createTables(client, tables);
  const meter = meterDynamo(client);
  let enqueued = 0;
  const base: Deps = {
    ...bench.runtime.deps,
    stores: dynamoStores({ client: documentClient(client), tables }),
    queue: queueOneByOne(async () => void (enqueued += 1)),
  };
  const at = (instant: Date): Deps => ({ ...base, clock: { now: () => instant } });

  const firstEnrollment = FIRST_SWEEP_DAY - 365 * DAY_MS;
  const { agent } = await createAgent(at(new Date(firstEnrollment)), {
    name: 'Sweep Bench',
    brokerage: 'Harbor Realty',
    senderNumber: '+13055550114',
    forwardTo: '+13055550199',
    doubleOptIn: false,
  });
  // Contact i enrolls on day ⌊i × 365 / contacts⌋ of the year, at 15:00Z.
  const enrollments = benchPhones(3, contacts).map((phone, i) => ({
    phone,
    enrolledAt: new Date(firstEnrollment + Math.floor((i * 365) / contacts) * DAY_MS + 15 * 3_600_000),
  }));
  progress(`sweep: enrolling ${contacts} contacts over a year`);
  const enrollStarted = process.hrtime.bigint();
  await mapBounded(enrollments, 8, async ({ phone, enrolledAt }) => {
    const deps = at(enrolledAt);
    await upsertContact(deps, agent, phone, { name: 'Sam Lee', state: 'NY' });
    await appendConsent(deps, agent, phone, {
      type: 'express_written',
      method: 'signed_form',
      at: new Date(enrolledAt.getTime() - 3_600_000).toISOString(),
      capturedBy: 'Sweep Bench',
      evidence: 'buyer agreement, SMS clause v2',
      channel: 'sms',
    });
    await enrollContact(deps, agent, phone);
  });
  const enrollSeconds = Number(process.hrtime.bigint() - enrollStarted) / 1e9;
  const optInTexts = enqueued;

  // What should fall due each day, straight from the enrollment instants and the offsets.
  const expectedOn = new Map<string, number>();
  for (const { enrolledAt } of enrollments) {
    for (const { offset } of defaultCadence.steps) {
      // Every contact is in NY: its steps fall due at noon New York time.
      const day = utcDay(dueAtFor(enrolledAt, offset, 'America/New_York'));
      expectedOn.set(day, (expectedOn.get(day) ?? 0) + 1);
    }
  }

  progress(`sweep: ${days} one-day sweeps`);
  let itemsRead = 0;
  let expected = 0;
  const perDay: string[] = [];
  const before = meter.snapshot();
  for (let d = 0; d < days; d++) {
    const day = FIRST_SWEEP_DAY + d * DAY_MS;
    // One day per sweep: the cursor says everything before it was swept already.
    await base.stores.sweepCursor.advance(utcDay(new Date(day - DAY_MS)));
    const result = await sweepDueSteps(base, { now: new Date(day + DAY_MS - 1) });
    const dueThatDay = expectedOn.get(utcDay(new Date(day))) ?? 0;
    itemsRead += result.itemsRead;
    expected += dueThatDay;
    perDay.push(`${result.itemsRead}/${dueThatDay}`);
  }
  const sweeping = since(before, meter.snapshot());

  // 100k contacts: steady state (each inside the 10-year cadence), and a first year of enrollments.
  const steadyAnalytic = steadyStateDuePerDay(AT_SCALE, defaultCadence);
  const until = new Date(FIRST_SWEEP_DAY);
  const span = 2 * 3652.5;
  const steady = lastDays(
    dueStepsPerDay(defaultCadence, { perDay: AT_SCALE / 3652.5, spreadDays: span, until }),
    until,
    365,
  );
  const firstYear = lastDays(
    dueStepsPerDay(defaultCadence, { perDay: AT_SCALE / 365, spreadDays: 365, until }),
    until,
    30,
  );
  const scaled = (itemsRead / days) * (AT_SCALE / contacts);

  return {
    title: 'Drip sweep (items read per day)',
    rows: [
      [
        `100k enrolled, steady state: analytic / modelled mean / busiest day`,
        `${fmt(Math.round(steadyAnalytic))} / ${fmt(Math.round(mean(steady)))} / ${fmt(Math.round(Math.max(...steady)))} items`,
      ],
      [
        '100k enrolled over one year, its last 30 days: modelled mean',
        `${fmt(Math.round(mean(firstYear)))} items`,
      ],
      [
        `measured: ${contacts} enrolled over a year, ${days} one-day sweeps, read / due per day`,
        perDay.join(', '),
      ],
      [
        'measured items read vs due (all days)',
        `${itemsRead} / ${expected}, ${DUE_SHARDS} Query partitions a day (one per shard), ${fmt(contacts * defaultCadence.steps.length)} steps in the index`,
      ],
      ['measured, scaled to 100k enrolled over a year', `${fmt(Math.round(scaled))} items/day`],
      [
        'round trips per one-day sweep',
        `${fmt(sweeping.roundTrips / days)}: ${describeOperations(sweeping, days)}`,
      ],
      [
        'read capacity per one-day sweep',
        `${(sweeping.readCapacityUnits / days).toFixed(1)} RCU (+ ${(sweeping.writeCapacityUnits / days).toFixed(1)} WCU to claim the steps)`,
      ],
      [
        'enrollment (setup, not a figure of the sweep)',
        `${contacts} contacts in ${enrollSeconds.toFixed(1)} s, ${optInTexts} opt-in texts queued`,
      ],
    ],
  };
}

/** Counts of the `days` full days before `until` (epoch-day keys). */
function lastDays(counts: Map<number, number>, until: Date, days: number): number[] {
  const endDay = Math.floor(until.getTime() / DAY_MS);
  return Array.from({ length: days }, (_, i) => counts.get(endDay - 1 - i) ?? 0);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
