import type { ClockWalk } from '../../../lambdas/local/clock-walks';
import type { LocalRuntime } from '../../../lambdas/local/runtime';
import type { MessageRecord } from '../../../lambdas/ports';
import { newMessageRecord } from '../../../lambdas/usecases/message-records';
import { startTestRuntime } from '../../e2e/runtime-fixture';

const START = new Date('2026-03-10T15:00:00.000Z');
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: START, backgroundTimers: false });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

/** A drip step of the demo agent, as an enrollment writes it. */
function aStep(phone: string, dueAt: string): MessageRecord {
  const base = newMessageRecord({
    agentId: runtime.demo!.agentId,
    phone,
    kind: 'drip',
    purpose: 'automated',
    body: 'Hi, it is Dana.',
    at: runtime.clock.now(),
  });
  return {
    ...base,
    status: 'scheduled',
    step: 2,
    dueAt,
    history: [{ status: 'scheduled', at: base.createdAt }],
  };
}

/** A drip step of the demo agent, scheduled straight into the due index. */
async function scheduledStep(phone: string, dueAt: string): Promise<MessageRecord> {
  const step = aStep(phone, dueAt);
  await runtime.deps.stores.messages.create(step);
  return step;
}

const queuedAt = async (messageId: string) =>
  (await runtime.deps.stores.messages.get(messageId))?.history.find((change) => change.status === 'queued')
    ?.at;

const clockRoute = (method: 'GET' | 'POST', body?: unknown) =>
  fetch(`${runtime.baseUrl}/local/clock`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

describe('walking the test clock', () => {
  it('sweeps every 5 minutes as on AWS: steps due at 18:00Z and 18:02Z go at 18:00Z and 18:05Z, not at midnight', async () => {
    // prepare
    const onTheTick = await scheduledStep('+12125550181', '2026-03-10T18:00:00.000Z');
    const between = await scheduledStep('+12125550182', '2026-03-10T18:02:00.000Z');

    // act
    await runtime.advanceClock(new Date('2026-03-11T06:00:00.000Z'));

    // assess
    expect(await queuedAt(onTheTick.messageId)).toBe('2026-03-10T18:00:00.000Z');
    expect(await queuedAt(between.messageId)).toBe('2026-03-10T18:05:00.000Z');
  });

  it('sends a step an enrollment wrote in one batch at its own tick the same day', async () => {
    // prepare
    const dueAt = new Date(runtime.clock.now().getTime() + 2 * 3_600_000 + 60_000).toISOString();
    const step = aStep('+12125550183', dueAt);
    await runtime.deps.stores.messages.createFresh([step]);

    // act
    await runtime.advanceClock(new Date(runtime.clock.now().getTime() + 86_400_000));

    // assess
    const tick = Math.ceil(Date.parse(dueAt) / 300_000) * 300_000;
    expect(await queuedAt(step.messageId)).toBe(new Date(tick).toISOString());
  });

  it('reads the due index again the same day only when a step can be due', async () => {
    // prepare
    await runtime.settle();
    const { messages } = runtime.deps.stores;
    const listDue = jest.spyOn(messages, 'listDue');

    // act
    for (let settles = 0; settles < 3; settles++) await runtime.settle();
    const idle = listDue.mock.calls.length;
    const step = await scheduledStep('+12125550184', runtime.clock.now().toISOString());
    await runtime.settle();

    // assess
    listDue.mockRestore();
    expect(idle).toBe(0);
    expect(await queuedAt(step.messageId)).toBe(runtime.clock.now().toISOString());
  });

  it('answers a long walk at once with its id, reports progress, refuses an overlapping walk, and ends where asked', async () => {
    // prepare
    const target = new Date(runtime.clock.now().getTime() + 60 * 86_400_000).toISOString();

    // act
    const started = await clockRoute('POST', { now: target });
    const overlapping = await clockRoute('POST', { now: target });
    const inProcess = runtime.advanceClock(new Date(target)).then(
      () => 'walked',
      (error: Error) => error.name,
    );
    const readings: ClockWalk[] = [];
    for (let i = 0; i < 600; i++) {
      const { walk } = (await (await clockRoute('GET')).json()) as { walk: ClockWalk };
      readings.push(walk);
      if (walk.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // assess
    expect(started.status).toBe(202);
    const { walk } = (await started.json()) as { walk: ClockWalk };
    expect(walk).toMatchObject({ status: 'running', to: target });
    expect(walk.walkId).toMatch(/^walk_/);
    expect(overlapping.status).toBe(409);
    expect(await overlapping.json()).toMatchObject({ error: 'clock_busy' });
    expect(await inProcess).toBe('ClockBusyError');
    const last = readings.at(-1)!;
    expect(last).toMatchObject({ walkId: walk.walkId, status: 'done', progress: 1 });
    const progress = readings.map((reading) => reading.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(runtime.clock.now().toISOString()).toBe(target);
  }, 120_000);

  it('waits for the walk with "wait": true, as scripts that need the result do', async () => {
    // prepare
    const target = new Date(runtime.clock.now().getTime() + 86_400_000).toISOString();

    // act
    const reply = await clockRoute('POST', { now: target, wait: true });

    // assess
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ now: target, walk: { status: 'done', to: target } });
  });

  it('answers 400 for a wait that is not a boolean and moves nothing', async () => {
    // prepare
    const before = runtime.clock.now().toISOString();

    // act
    const reply = await clockRoute('POST', { now: '2030-01-01T00:00:00Z', wait: 'yes' });

    // assess
    expect(reply.status).toBe(400);
    expect(runtime.clock.now().toISOString()).toBe(before);
  });
});
