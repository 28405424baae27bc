import type { Agent } from '../../../lambdas/ports';
import { createMessage } from '../../../lambdas/usecases/create-message';
import { sendMessage } from '../../../lambdas/usecases/send-message';
import { phoneIn, useSendFixture } from './send-fixture';

// 10:00 in New York: every text below goes at once.
const NOW = '2026-03-03T15:00:00.000Z';
const TEXTS = 100;
const CONCURRENCY = 8;

const fx = useSendFixture(NOW);

/** `count` queued manual texts, one per new consented NY contact. */
async function queuedTexts(agent: Agent, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - start) }, async () => {
        const phone = phoneIn('212');
        await fx.newContact(agent, phone, { state: 'NY' });
        return (await createMessage(fx.deps, agent, { to: phone, body: 'Dana Reyes: new listing nearby' }))
          .messageId;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/** Runs `work` over `items` with at most `limit` in flight; resolves to the elapsed milliseconds. */
async function timed<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
  return performance.now() - started;
}

describe('sendMessage throughput on the local engines', () => {
  it(`sends ${TEXTS} texts one by one and ${TEXTS} with ${CONCURRENCY} workers, 10 round trips each`, async () => {
    // prepare
    const agent = await fx.newAgent();
    const oneByOne = await queuedTexts(agent, TEXTS);
    const parallel = await queuedTexts(agent, TEXTS);
    const outboxBefore = fx.twilio.outbox().length;

    // act
    fx.trips.reset();
    const sequentialMs = await timed(oneByOne, 1, (id) => sendMessage(fx.deps, id));
    const sequentialTrips = fx.trips.count();
    const parallelMs = await timed(parallel, CONCURRENCY, (id) => sendMessage(fx.deps, id));

    // assess
    expect(fx.twilio.outbox().length - outboxBefore).toBe(2 * TEXTS);
    expect(sequentialTrips / TEXTS).toBe(10);
    console.info(
      [
        `sendMessage on DynamoDB Local + Twilio stand-in (${TEXTS} texts each):`,
        `  1 worker:  ${(TEXTS / (sequentialMs / 1000)).toFixed(0)} sends/s, ${(sequentialMs / TEXTS).toFixed(1)} ms/send`,
        `  ${CONCURRENCY} workers: ${(TEXTS / (parallelMs / 1000)).toFixed(0)} sends/s`,
        `  DynamoDB round trips per send: ${sequentialTrips / TEXTS}`,
      ].join('\n'),
    );
  }, 60_000);
});
