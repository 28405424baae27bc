import { mapBounded } from '../../lambdas/usecases/bounded';
import {
  benchPhones,
  createBenchAgent,
  createConsentedContacts,
  progress,
  type BenchAgent,
  type BenchRuntime,
} from './bench-runtime';
import { recordFigure } from './figures';
import { fmt, type BenchSection } from './measure';

const DAY_MS = 86_400_000;

/**
 * RULES §1 / §3 cost of the reassigned-number check: contacts enrolled in the default cadence
 * (a share of them by two agents: the answer is cached per phone) and a simulated year on the
 * test clock, every drip going through the send worker's check. Counts the Lookup requests the
 * stand-in served next to the texts sent: one line-type request per phone at intake, one
 * reassigned-number request before the first automated text after a consent, then one whenever
 * the cached answer is over 30 days old — never one per text. Runs last: it moves the clock a year.
 */
export async function benchLookups(
  bench: BenchRuntime,
  options: { contacts?: number; sharedShare?: number } = {},
): Promise<BenchSection> {
  const contacts = options.contacts ?? 50;
  const shared = Math.round(contacts * (options.sharedShare ?? 0.1));
  const { runtime } = bench;
  const first = await createBenchAgent(bench, 'Avery Cole', '+13055550113');
  const second = await createBenchAgent(bench, 'Jordan Park', '+13055550114');
  const phones = benchPhones(6, contacts);
  const before = { ...runtime.lookup.calls };
  progress(`lookups: ${contacts} contacts (${shared} shared by a second agent), enrolled in the cadence`);
  await createConsentedContacts(bench, first, phones);
  await createConsentedContacts(bench, second, phones.slice(0, shared));
  await enrollAll(bench, first, phones);
  await enrollAll(bench, second, phones.slice(0, shared));
  await runtime.settle();
  const lineTypeAtIntake = runtime.lookup.calls.lineType - before.lineType;

  progress('lookups: a simulated year of the cadence');
  const started = runtime.clock.now();
  const yearLater = new Date(started.getTime() + 365 * DAY_MS);
  const wall = process.hrtime.bigint();
  await runtime.advanceClock(yearLater);
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;

  const sent = new Set([first.senderNumber, second.senderNumber]);
  const texts = runtime.twilio
    .outbox()
    .filter(
      (entry) => sent.has(entry.from) && entry.origin === 'api' && Date.parse(entry.at) >= started.getTime(),
    ).length;
  const reassigned = runtime.lookup.calls.reassigned - before.reassigned;
  const lineType = runtime.lookup.calls.lineType - before.lineType;
  const perThousand = texts === 0 ? 0 : ((reassigned + lineType) / texts) * 1000;
  const reassignedPerThousand = texts === 0 ? 0 : (reassigned / texts) * 1000;
  const enrollments = contacts + shared;
  recordFigure('lookup.texts', texts);
  recordFigure('lookup.reassignedRequests', reassigned);
  recordFigure('lookup.lineTypeRequests', lineType);
  recordFigure('lookup.perThousandTexts', perThousand);
  recordFigure('lookup.reassignedPerThousandTexts', reassignedPerThousand);
  recordFigure('lookup.perContactYear', (reassigned + lineType) / contacts);
  return {
    title: `Twilio Lookup over a simulated year (${contacts} phones, ${enrollments} enrollments, default cadence)`,
    rows: [
      ['texts sent in the year (drips)', fmt(texts)],
      [
        'Lookup requests per 1,000 texts: reassigned number + line type',
        `${fmt(perThousand)} (${fmt(reassignedPerThousand)} + ${fmt(perThousand - reassignedPerThousand)})`,
      ],
      [
        'reassigned-number requests: total / per phone (cached per phone, rechecked after 30 days)',
        `${fmt(reassigned)} / ${fmt(reassigned / contacts)}`,
      ],
      [
        'line-type requests: at intake / in the whole year (once per phone)',
        `${fmt(lineTypeAtIntake)} / ${fmt(lineType)}`,
      ],
      ['Lookup requests per contact-year', fmt((reassigned + lineType) / contacts)],
      ['wall time of the simulated year', `${seconds.toFixed(1)} s`],
    ],
  };
}

async function enrollAll(bench: BenchRuntime, agent: BenchAgent, phones: string[]): Promise<void> {
  await mapBounded(phones, 8, async (phone) => {
    const enrolled = await bench.call(
      'POST',
      `/v1/contacts/${encodeURIComponent(phone)}/enroll`,
      agent.apiKey,
      {},
    );
    if (enrolled.status !== 201 && enrolled.status !== 200)
      throw new Error(`enroll ${phone}: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  });
}
