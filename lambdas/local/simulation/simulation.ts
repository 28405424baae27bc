import type { LocalRuntime, LocalRuntimeOptions } from '../runtime';
import { act } from './act';
import { checkRun, type CheckReport } from './checker';
import { crashIfDoomed } from './crash';
import { mapBounded } from '../../usecases/bounded';
import { verifyLedger } from '../../usecases/verify-ledger';
import { newContext, type FaultCounts, type Tally } from './context';
import { FaultInjector } from './faults';
import { planPopulation } from './population';
import { SeededRandom } from './prng';
import { setUpPopulation } from './setup';
import { planSlots, SLOTS_PER_DAY } from './slots';
import { readRunSnapshot } from './snapshot';
import type { DerivedStateDrift, Reassignment } from './snapshot-types';
import { planTimeline } from './timeline';

const DAY_MS = 86_400_000;

export type SimulationOptions = {
  contacts: number;
  days: number;
  seed: number;
  /** A runtime started with `clockStart` at `start` (see {@link SIMULATION_RUNTIME_OPTIONS}). */
  runtime: LocalRuntime;
  /** Defaults to the runtime's clock. */
  start?: Date;
  /** Share of contacts enrolled in the drip cadence during the run; 0.2 by default. */
  enrollShare?: number;
  /** Contact events in flight at once within a slot; 8 by default. */
  concurrency?: number;
  onProgress?: (progress: SimulationProgress) => void;
};

export type SimulationProgress = { phase: 'setup' | 'run' | 'check'; day: number; days: number; at: Date };

export type SimulationResult = {
  options: { contacts: number; days: number; seed: number; start: string; end: string; enrollShare: number };
  population: {
    agents: number;
    doubleOptInAgents: number;
    contacts: number;
    sharedPhones: number;
    lateContacts: number;
  };
  faults: FaultCounts;
  /** What the run did, by action and outcome. */
  actions: Tally;
  /** Outbound texts in the message log by final status. */
  messagesByStatus: Record<string, number>;
  /** Numbers that changed hands during the run (disconnected, then someone else's after 45 days). */
  reassignments: Reassignment[];
  /** Billable Twilio Lookup requests (RULES §1 reassigned-number check, line type at intake). */
  lookups: { reassigned: number; lineType: number; perThousandTexts: number };
  check: CheckReport;
  unexpectedErrors: { count: number; first: string[] };
  durationMs: number;
};

/**
 * Runtime options a simulation needs for speed, not for correctness: several send workers (as
 * Lambda runs several for different recipients), a short visibility timeout (a handler slower
 * than 2 s has its record delivered again, as SQS would), a record that failed (a Twilio 5xx, a
 * worker that died) back on the queue as soon as its batch is done — the test clock stands
 * still meanwhile, so waiting out the timeout would only cost real seconds — a short Twilio
 * timeout so a simulated hang costs half a second, and the hook through which a worker dies
 * mid-send when the run says so.
 */
export const SIMULATION_RUNTIME_OPTIONS = {
  demoAgent: false,
  sendWorkers: {
    concurrency: 4,
    visibilityTimeoutSeconds: 2,
    retryFailedAtOnce: true,
    options: { afterSendingClaimed: crashIfDoomed },
  },
  twilioTimeoutMs: 500,
} satisfies Partial<LocalRuntimeOptions>;

/**
 * A deterministic simulated run of the real pipeline: synthetic agents and contacts (every state,
 * split-zone area codes, disagreeing signals, mixed consent histories) act through the HTTP API
 * and signed Twilio webhooks at six instants a day, for `days` days, while faults are injected;
 * then the independent checker reads what phones received and counts breaches of RULES.md.
 * Every choice comes from `seed`.
 *
 * @example
 * const runtime = await startLocalRuntime({ port: 0, clockStart: new Date('2026-12-14T00:00:00Z'), ...SIMULATION_RUNTIME_OPTIONS });
 * const result = await runSimulation({ contacts: 300, days: 60, seed: 42, runtime });
 * result.check.counts; // every count 0
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const began = Date.now();
  const { runtime, days, seed } = options;
  const enrollShare = options.enrollShare ?? 0.2;
  const start = options.start ?? runtime.clock.now();
  if (runtime.clock.now().getTime() < start.getTime()) await runtime.advanceClock(start);
  const random = new SeededRandom(seed);
  const population = planPopulation(random.fork(), options.contacts);
  const timeline = planTimeline(random.fork(), population, { days, enrollShare });
  const slots = planSlots(random.fork(), start, days);
  const context = newContext(runtime, random.fork(), population.contacts);
  const faults = new FaultInjector(context);
  const progress = (phase: SimulationProgress['phase'], day: number) =>
    options.onProgress?.({ phase, day, days, at: runtime.clock.now() });

  progress('setup', 0);
  await setUpPopulation(context, population, timeline.lateContacts);
  for (const [index, at] of slots.entries()) {
    await runtime.advanceClock(at);
    await faults.atSlot(timeline.faults[index] ?? [], slots[index + 1]);
    const events = timeline.contactEvents[index] ?? [];
    await mapBounded(events, options.concurrency ?? 8, (event) => act(context, event));
    // Replies and texts the events queued go out at this instant, before the clock jumps on.
    if (events.length > 0) await runtime.settle();
    faults.watchSchedules();
    if (index % SLOTS_PER_DAY === SLOTS_PER_DAY - 1) progress('run', Math.floor(index / SLOTS_PER_DAY) + 1);
  }
  const end = new Date(start.getTime() + days * DAY_MS);
  runtime.scheduler.delayFires(0);
  await runtime.advanceClock(end);
  await runtime.settle();

  progress('check', days);
  const snapshot = await readRunSnapshot(runtime);
  const failing = { reject: new Set<string>(), callback: new Set<string>() };
  for (const event of timeline.contactEvents.flat()) {
    if (event.type === 'fail21610') failing[event.mode].add(event.contact.phone);
  }
  snapshot.phoneTexts = context.phoneTexts;
  snapshot.reassignments = context.reassignments;
  snapshot.derivedStateDrift = await verifyDerivedStates(
    runtime,
    population.contacts.map((contact) => contact.phone),
  );
  faults.observeRecords(snapshot, failing);
  const check = checkRun(snapshot);
  const messagesByStatus: Record<string, number> = {};
  for (const message of snapshot.messages) {
    if (message.kind === 'inbound') continue;
    messagesByStatus[message.status] = (messagesByStatus[message.status] ?? 0) + 1;
  }

  return {
    options: {
      contacts: options.contacts,
      days,
      seed,
      start: start.toISOString(),
      end: end.toISOString(),
      enrollShare,
    },
    population: {
      agents: population.agents.length,
      doubleOptInAgents: population.agents.filter((agent) => agent.doubleOptIn).length,
      contacts: population.contacts.length,
      sharedPhones: population.contacts.filter((contact) => contact.agents.length > 1).length,
      lateContacts: timeline.lateContacts.size,
    },
    faults: context.faults,
    actions: context.tally,
    messagesByStatus,
    reassignments: context.reassignments,
    lookups: lookupFigures(runtime, check.sends - check.exemptSends),
    check,
    unexpectedErrors: context.errors,
    durationMs: Date.now() - began,
  };
}

/** Lookup requests so far, and per 1,000 texts ConsentLine sent on its own (replies excluded). */
function lookupFigures(runtime: LocalRuntime, texts: number): SimulationResult['lookups'] {
  const { reassigned, lineType } = runtime.lookup.calls;
  const perThousandTexts = texts === 0 ? 0 : Math.round(((reassigned + lineType) / texts) * 10_000) / 10;
  return { reassigned, lineType, perThousandTexts };
}

/** `ledger verify` for every phone of the run: its derived state recomputed from its records. */
async function verifyDerivedStates(runtime: LocalRuntime, phones: string[]): Promise<DerivedStateDrift[]> {
  const unique = [...new Set(phones)];
  return mapBounded(unique, 8, async (phone) => {
    const verified = await verifyLedger(runtime.deps, 'all_agents', phone);
    return { phone, differences: verified.state?.differences ?? [] };
  });
}
