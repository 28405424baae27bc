import { utcDay } from '../compliance/cadence';
import { gateKeyOf, type MessageRecord } from '../ports';
import type { Deps } from './deps';
import { mapBounded } from './bounded';

const DAY_MS = 86_400_000;
/** Due-index queries and transitions in flight at once. */
const SWEEP_CONCURRENCY = 16;
/** Steps claimed ahead of their enqueue: one send-queue batch (SQS SendMessageBatch takes 10). */
const STEPS_PER_ROUND = 10;

export type SweepOptions = {
  now: Date;
  concurrency?: number;
};

export type SweepResult = {
  /** Days whose due steps were read, from the day after the cursor through today (UTC). */
  daysSwept: number;
  /** Items the due index returned: only steps still scheduled and due by `now`. */
  itemsRead: number;
  /** Steps this sweep moved `scheduled → queued` and put on the send queue. */
  enqueued: number;
  /** Steps whose enqueue failed; they went back to `scheduled` and the cursor waits for them. */
  failed: number;
  /** The cursor after this sweep: the last day fully swept. */
  sweptThrough: string;
};

/**
 * The drip sweep (EventBridge Scheduler rate schedule): reads the steps due by `now` of each day
 * from the day after the cursor through today (the store's due index, never a Scan) and hands
 * them to the send queue in rounds of one queue batch, where the worker runs the gate.
 *
 * A step is claimed with the conditional transition `scheduled → queued`, after which it is no
 * longer due: concurrent sweeps each read it, one wins and enqueues. So a day's sweep reads only
 * what is still to send. Days before today are then fully swept and the cursor moves forward
 * (never back).
 *
 * @example
 * await sweepDueSteps(deps, { now: deps.clock.now() }); // { daysSwept: 1, itemsRead: 0, … }
 */
export async function sweepDueSteps(
  deps: Pick<Deps, 'clock' | 'stores' | 'queue'>,
  options: SweepOptions,
): Promise<SweepResult> {
  const { now } = options;
  const concurrency = options.concurrency ?? SWEEP_CONCURRENCY;
  const until = now.toISOString();
  const today = utcDay(now);
  const cursor = await deps.stores.sweepCursor.sweptThrough();
  const days = daysFrom(cursor === undefined ? today : minDay(nextDay(cursor), today), today);

  const pages = await mapBounded(days, concurrency, async (day) => ({
    day,
    items: await deps.stores.messages.listDue(day, until),
  }));
  const due = pages.flatMap(({ day, items }) => items.map((message) => ({ day, message })));
  const rounds = roundsOf(due, STEPS_PER_ROUND);
  const outcomes = (
    await mapBounded(rounds, Math.ceil(concurrency / STEPS_PER_ROUND), (round) => queueRound(deps, round))
  ).flat();

  // Fully swept: every day before today, up to the first day a step could not be enqueued.
  const firstFailedDay = outcomes
    .filter(({ outcome }) => outcome === 'failed')
    .map(({ day }) => day)
    .sort()[0];
  const lastDone = previousDay(firstFailedDay ?? today);
  const sweptThrough = cursor !== undefined && cursor >= lastDone ? cursor : lastDone;
  if (sweptThrough !== cursor) await deps.stores.sweepCursor.advance(sweptThrough);
  return {
    daysSwept: days.length,
    itemsRead: due.length,
    enqueued: outcomes.filter(({ outcome }) => outcome === 'enqueued').length,
    failed: outcomes.filter(({ outcome }) => outcome === 'failed').length,
    sweptThrough,
  };
}

/**
 * Claims one step: `scheduled → queued`. Losing the claim means another sweep has it (or it was
 * cancelled or edited away): nothing to do.
 */
async function claimStep(deps: Pick<Deps, 'clock' | 'stores'>, message: MessageRecord): Promise<boolean> {
  const claimed = await deps.stores.messages.transition(
    message.messageId,
    ['scheduled'],
    {
      status: 'queued',
      at: deps.clock.now().toISOString(),
      reasons: [`step ${message.step} due ${message.dueAt}`],
    },
    {},
    message,
  );
  return claimed !== undefined;
}

/**
 * Claims a round of steps, then puts the claimed ones on the send queue in one batch. A step
 * claimed but never enqueued (the sweep dies between the two) stays `queued` with nothing to send
 * it, so a round is no bigger than one queue batch: only the rounds in flight are ever at stake.
 */
async function queueRound(
  deps: Pick<Deps, 'clock' | 'stores' | 'queue'>,
  round: readonly { day: string; message: MessageRecord }[],
): Promise<{ day: string; outcome: 'enqueued' | 'taken' | 'failed' }[]> {
  const claims = await Promise.all(
    round.map(async (step) => ({ ...step, claimed: await claimStep(deps, step.message) })),
  );
  const refusals = await deps.queue.enqueueAll(
    claims
      .filter(({ claimed }) => claimed)
      .map(({ message }) => ({
        messageId: message.messageId,
        phone: message.phone,
        gate: gateKeyOf(message),
      })),
  );
  const refused = new Map(refusals.map(({ messageId, error }) => [messageId, error]));
  return Promise.all(
    claims.map(async ({ day, message, claimed }) => ({
      day,
      outcome: await outcomeOf(deps, message, claimed, refused.get(message.messageId)),
    })),
  );
}

/** A step the queue refused goes back to `scheduled` in the index, so a later sweep retries. */
async function outcomeOf(
  deps: Pick<Deps, 'clock' | 'stores'>,
  message: MessageRecord,
  claimed: boolean,
  refusal: string | undefined,
): Promise<'enqueued' | 'taken' | 'failed'> {
  if (!claimed) return 'taken';
  if (refusal === undefined) return 'enqueued';
  await deps.stores.messages.returnDue(message, {
    status: 'scheduled',
    at: deps.clock.now().toISOString(),
    reasons: [`the send queue refused it (${refusal}); the next sweep retries`],
  });
  return 'failed';
}

function roundsOf<T>(items: readonly T[], size: number): T[][] {
  const rounds: T[][] = [];
  for (let start = 0; start < items.length; start += size) rounds.push(items.slice(start, start + size));
  return rounds;
}

/** Every UTC day from `first` through `last`, inclusive. */
function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = nextDay(day)) days.push(day);
  return days;
}

function nextDay(day: string): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS));
}

function previousDay(day: string): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS));
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}
