import type { MessageRecord } from '../../../lambdas/ports';
import { enrollContact, unenrollContact } from '../../../lambdas/usecases/enroll';
import { sweepDueSteps } from '../../../lambdas/usecases/sweep';
import { cadenceFixture, type CadenceFixture } from './cadence-fixture';

const DAY_MS = 86_400_000;
const START = '2026-03-10T15:00:00.000Z';
const at = (iso: string): Date => new Date(iso);
const plusDays = (iso: string, days: number): string =>
  new Date(Date.parse(iso) + days * DAY_MS).toISOString();

/**
 * Enrolls `count` consented contacts of one agent, `spacingHours` apart from `from`; contact i
 * lives in `timeZones[i]` when given.
 */
async function enrollMany(
  f: CadenceFixture,
  count: number,
  from: string,
  spacingHours = 0,
  timeZones: string[] = [],
): Promise<MessageRecord[]> {
  const agent = await f.newAgent();
  const steps: MessageRecord[] = [];
  for (let i = 0; i < count; i++) {
    f.clock.set(new Date(Date.parse(from) + i * spacingHours * 3_600_000));
    const timeZone = timeZones[i];
    const contact = await f.newContact(agent, timeZone === undefined ? {} : { timeZone });
    steps.push(...(await enrollContact(f.deps, agent, contact.phone)).steps);
  }
  return steps;
}

/** Steps due by `until`, counted from the plan rather than by the sweep. */
const dueBy = (steps: MessageRecord[], until: string): MessageRecord[] =>
  steps.filter((step) => step.dueAt! <= until);

async function sweepAt(f: CadenceFixture, now: string) {
  f.clock.set(now);
  return sweepDueSteps(f.deps, { now: at(now) });
}

describe('sweepDueSteps', () => {
  let f: CadenceFixture;
  afterEach(() => f.close());

  it('enqueues exactly the steps due by then, and a second sweep enqueues nothing more', async () => {
    // prepare: three contacts enrolled 5 h apart
    f = await cadenceFixture(START);
    const steps = await enrollMany(f, 3, START, 5);
    const optIns = f.queue.enqueued.length;
    const now = plusDays(START, 30);
    const expected = dueBy(steps, now);

    // act
    const first = await sweepAt(f, now);
    const second = await sweepAt(f, plusDays(now, 0.001));

    // assess
    expect(expected).toHaveLength(9); // days 7, 14 and 28 of each contact
    expect(first).toMatchObject({ itemsRead: 9, enqueued: 9, failed: 0 });
    expect(
      f.queue.enqueued
        .slice(optIns)
        .map((item) => item.messageId)
        .sort(),
    ).toEqual(expected.map((step) => step.messageId).sort());
    expect(second).toMatchObject({ daysSwept: 1, itemsRead: 0, enqueued: 0 });
    const stored = await Promise.all(expected.map((step) => f.deps.stores.messages.get(step.messageId)));
    for (const message of stored) {
      expect(message).toMatchObject({ status: 'queued' });
      expect(message?.history.at(-1)).toMatchObject({ status: 'queued', at: now });
    }
    const days = [...new Set(expected.map((step) => step.dueAt!.slice(0, 10)))];
    const stillDue = await Promise.all(days.map((day) => f.deps.stores.messages.listDue(day, now)));
    expect(stillDue.flat()).toEqual([]);
  });

  it('claims no more than one queue batch of steps ahead of putting them on the queue', async () => {
    // prepare: 9 contacts, 27 steps due
    f = await cadenceFixture(START);
    const steps = await enrollMany(f, 9, START, 1);
    const now = plusDays(START, 30);
    const queued = async () =>
      (await Promise.all(steps.map((step) => f.deps.stores.messages.get(step.messageId)))).filter(
        (message) => message?.status === 'queued',
      ).length;
    const optIns = f.queue.enqueued.length;
    const enqueueAll = f.deps.queue.enqueueAll;
    const aheadOfQueue: number[] = [];
    const batches: number[] = [];
    f.deps.queue.enqueueAll = async (messages) => {
      aheadOfQueue.push((await queued()) - f.queue.enqueued.length + optIns);
      batches.push(messages.length);
      return enqueueAll(messages);
    };

    // act
    const swept = await sweepAt(f, now);

    // assess
    expect(swept).toMatchObject({ itemsRead: 27, enqueued: 27, failed: 0 });
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(27);
    expect(Math.max(...batches)).toBeLessThanOrEqual(10);
    // Two rounds run side by side: each claims at most its 10 before its batch goes.
    expect(Math.max(...aheadOfQueue)).toBeLessThanOrEqual(20);
  });

  it('reads only the swept days’ due items: nothing later that day, nothing on later days', async () => {
    // prepare
    // prepare: first steps at noon on day 7 where each lives: 16:00, 17:00, 18:00 and 19:00 UTC
    f = await cadenceFixture(START);
    const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
    const steps = await enrollMany(f, 4, START, 0, zones);
    const beforeFirstDue = plusDays(START, 7); // 15:00 UTC on day 7, 11:00 in New York

    // act
    const early = await sweepAt(f, beforeFirstDue);
    const onTime = await sweepAt(f, '2026-03-17T18:00:00.000Z');

    // assess
    expect(early).toMatchObject({ daysSwept: 8, itemsRead: 0, enqueued: 0 });
    const dueByNoon = dueBy(steps, '2026-03-17T18:00:00.000Z');
    expect(dueByNoon.map((step) => step.step)).toEqual([1, 1, 1]); // New York, Chicago, Denver
    expect(onTime).toMatchObject({ daysSwept: 1, itemsRead: dueByNoon.length, enqueued: dueByNoon.length });
  });

  it('starts on the day of the first enrollment even if the sweep never ran before', async () => {
    // prepare
    f = await cadenceFixture(START);
    const steps = await enrollMany(f, 1, START);

    // act
    const result = await sweepAt(f, plusDays(START, 15));

    // assess
    expect(result.daysSwept).toBe(16);
    expect(result.enqueued).toBe(2);
    expect(result.sweptThrough).toBe('2026-03-24');
    expect(dueBy(steps, plusDays(START, 15))).toHaveLength(2);
  });

  it('sweeps only today when neither a sweep nor an enrollment has set the cursor', async () => {
    // prepare
    f = await cadenceFixture(START);

    // act
    const result = await sweepAt(f, START);

    // assess
    expect(result).toMatchObject({
      daysSwept: 1,
      itemsRead: 0,
      sweptThrough: '2026-03-09',
    });
    expect(await f.deps.stores.sweepCursor.sweptThrough()).toBe('2026-03-09');
  });

  it('lets one of two concurrent sweeps enqueue each step, once', async () => {
    // prepare
    f = await cadenceFixture(START);
    const steps = await enrollMany(f, 5, START, 1);
    const optIns = f.queue.enqueued.length;
    const now = plusDays(START, 60);
    f.clock.set(now);

    // act
    const results = await Promise.all([
      sweepDueSteps(f.deps, { now: at(now) }),
      sweepDueSteps(f.deps, { now: at(now) }),
    ]);

    // assess
    const expected = dueBy(steps, now);
    const enqueued = f.queue.enqueued.slice(optIns).map((item) => item.messageId);
    expect(results[0]!.enqueued + results[1]!.enqueued).toBe(expected.length);
    expect(new Set(enqueued).size).toBe(enqueued.length);
    expect(enqueued.sort()).toEqual(expected.map((step) => step.messageId).sort());
  });

  it('puts a step the queue refused back in the index and retries it without skipping its day', async () => {
    // prepare
    f = await cadenceFixture(START);
    const steps = await enrollMany(f, 1, START);
    const now = plusDays(START, 7.5);
    f.queue.failNext(1);

    // act
    const failed = await sweepAt(f, now);
    const retried = await sweepAt(f, plusDays(now, 1));

    // assess
    expect(failed).toMatchObject({ itemsRead: 1, enqueued: 0, failed: 1, sweptThrough: '2026-03-16' });
    expect(retried).toMatchObject({ daysSwept: 3, itemsRead: 1, enqueued: 1, failed: 0 });
    const first = await f.deps.stores.messages.get(steps[0]!.messageId);
    expect(first?.status).toBe('queued');
    expect(first?.history.map((change) => change.status)).toEqual([
      'scheduled',
      'queued',
      'scheduled',
      'queued',
    ]);
  });

  it('never reads the cancelled steps of an unenrolled contact', async () => {
    // prepare
    f = await cadenceFixture(START);
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    const { steps } = await enrollContact(f.deps, agent, contact.phone);
    await unenrollContact(f.deps, agent, contact.phone);

    // act
    const result = await sweepAt(f, plusDays(START, 100));

    // assess
    expect(dueBy(steps, plusDays(START, 100))).toHaveLength(5); // days 7, 14, 28, months 2 and 3
    expect(result).toMatchObject({ daysSwept: 101, itemsRead: 0, enqueued: 0 });
  });
});
