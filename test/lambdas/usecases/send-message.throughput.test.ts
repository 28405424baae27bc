import type { Agent } from '../../../lambdas/ports';
import { mapBounded } from '../../../lambdas/usecases/bounded';
import { createMessage } from '../../../lambdas/usecases/create-message';
import { sendMessage } from '../../../lambdas/usecases/send-message';
import { phoneIn, useSendFixture } from './send-fixture';

// 10:00 in New York: every text below goes at once.
const NOW = '2026-03-03T15:00:00.000Z';
const TEXTS = 30;
const CONCURRENCY = 8;
// get message; the gate's reads (parallel, then the Lookup cache); claim with both cap slots; opt-out and
// suspension fences; → sent.
// Sends per second are `npm run bench`'s business; this pins the cost that does not depend on load.
const MAX_ROUND_TRIPS_PER_SEND = 13;

const fx = useSendFixture(NOW);

/** `count` queued manual texts, one per new consented NY contact. */
async function queuedTexts(agent: Agent, count: number): Promise<string[]> {
  return mapBounded(Array.from({ length: count }), 20, async () => {
    const phone = phoneIn('212');
    await fx.newContact(agent, phone, { state: 'NY' });
    return (await createMessage(fx.deps, agent, { to: phone, body: 'Dana Reyes: new listing nearby' }))
      .messageId;
  });
}

describe('sendMessage in volume on the local engines', () => {
  it(`sends ${TEXTS} texts one by one and ${TEXTS} with ${CONCURRENCY} workers, each within its round-trip budget`, async () => {
    // prepare
    const agent = await fx.newAgent();
    const oneByOne = await queuedTexts(agent, TEXTS);
    const parallel = await queuedTexts(agent, TEXTS);
    const outboxBefore = fx.twilio.outbox().length;

    // act
    fx.trips.reset();
    await mapBounded(oneByOne, 1, (id) => sendMessage(fx.deps, id));
    const sequentialTrips = fx.trips.count();
    await mapBounded(parallel, CONCURRENCY, (id) => sendMessage(fx.deps, id));

    // assess
    expect(fx.twilio.outbox().length - outboxBefore).toBe(2 * TEXTS);
    expect(sequentialTrips / TEXTS).toBeLessThanOrEqual(MAX_ROUND_TRIPS_PER_SEND);
  }, 180_000);
});
