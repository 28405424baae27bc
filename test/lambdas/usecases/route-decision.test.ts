import { decide, type Decision } from '../../../lambdas/compliance/gate';
import type { Agent, MessageRecord } from '../../../lambdas/ports';
import { loadGateInput } from '../../../lambdas/usecases/gate-input';
import { routeDecision } from '../../../lambdas/usecases/route-decision';
import { phoneIn, useSendFixture } from './send-fixture';

// 23:00 in New York (EST): a manual text waits for 08:00.
const LATE = '2026-03-04T04:00:00.000Z';
const NEXT_08_00 = '2026-03-04T13:00:00.000Z';

const fx = useSendFixture(LATE);

/** A queued manual message to a new NY contact (with or without consent) and the gate's decision on it. */
async function decided(
  agent: Agent,
  consent = true,
): Promise<{ message: MessageRecord; decision: Decision }> {
  const phone = phoneIn('212');
  await fx.newContact(agent, phone, { state: 'NY' }, consent);
  const message = await fx.queuedMessage(agent, phone, {
    kind: 'manual',
    purpose: 'manual',
    body: 'Still interested in the condo?',
  });
  const { input } = await loadGateInput(fx.deps, message);
  return { message, decision: decide(input) };
}

describe('routeDecision', () => {
  beforeEach(() => {
    fx.clock.set(LATE);
    fx.scheduler.releases.length = 0;
  });

  it('books the release and marks the message held until the window opens', async () => {
    // prepare
    const { message, decision } = await decided(await fx.newAgent());

    // act
    const held = await routeDecision(fx.deps, message, decision);

    // assess
    expect(held?.status).toBe('held');
    expect(held?.releaseAt).toBe(NEXT_08_00);
    expect(held?.receipt?.verdict).toBe('hold');
    expect(held?.history.at(-1)?.reasons).toEqual(decision.receipt.reasons);
    expect(fx.scheduler.releases).toEqual([
      { messageId: message.messageId, phone: message.phone, releaseAt: NEXT_08_00, attempt: 0 },
    ]);
  });

  it('books a fresh release, a new attempt, when a held message comes back before its instant', async () => {
    // prepare
    const { message, decision } = await decided(await fx.newAgent());
    const held = await routeDecision(fx.deps, message, decision);

    // act: Scheduler fired early, or delivered twice before the instant
    const again = await routeDecision(fx.deps, held!, decision);

    // assess
    expect(again?.status).toBe('held');
    expect(again?.history.at(-1)?.reasons?.[0]).toMatch(/came back before its instant/);
    const attempts = fx.scheduler.releases.map((release) => release.attempt);
    expect(new Set(attempts).size).toBe(2);
    expect(new Set(fx.scheduler.releases.map((release) => release.releaseAt)).size).toBe(1);
  });

  it('leaves a message held until an instant that has come alone', async () => {
    // prepare
    const { message, decision } = await decided(await fx.newAgent());
    const held = await routeDecision(fx.deps, message, decision);
    fx.clock.set(held!.releaseAt!);

    // act
    const again = await routeDecision(fx.deps, held!, decision);

    // assess
    expect(again?.history).toHaveLength(1);
    expect(fx.scheduler.releases).toHaveLength(1);
  });

  it('blocks a message without consent, with the reasons, and books nothing', async () => {
    // prepare
    const { message, decision } = await decided(await fx.newAgent(), false);

    // act
    const blocked = await routeDecision(fx.deps, message, decision);

    // assess
    expect(decision.verdict).toBe('block');
    expect(blocked?.status).toBe('blocked');
    expect(blocked?.history.at(-1)?.reasons).toContain('no consent on record that permits manual texts');
    expect(fx.scheduler.releases).toEqual([]);
  });

  it('does nothing when the message has already left the statuses it may be routed from', async () => {
    // prepare
    const { message, decision } = await decided(await fx.newAgent());
    await fx.deps.stores.messages.transition(message.messageId, ['queued'], {
      status: 'cancelled',
      at: LATE,
    });

    // act
    const routed = await routeDecision(fx.deps, message, decision);

    // assess
    expect(routed).toBeUndefined();
    expect((await fx.deps.stores.messages.get(message.messageId))?.status).toBe('cancelled');
  });

  it('routes nothing for a send verdict: the worker sends', async () => {
    // prepare
    fx.clock.set('2026-03-04T15:00:00.000Z');
    const { message, decision } = await decided(await fx.newAgent());

    // act
    const routed = await routeDecision(fx.deps, message, decision);

    // assess
    expect(decision.verdict).toBe('send');
    expect(routed).toBeUndefined();
    expect((await fx.deps.stores.messages.get(message.messageId))?.status).toBe('queued');
  });
});
