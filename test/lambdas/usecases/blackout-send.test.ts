import { gateKeyOf } from '../../../lambdas/ports';
import type { Agent } from '../../../lambdas/ports';
import { declareBlackout, endBlackout } from '../../../lambdas/usecases/blackouts';
import { createMessage } from '../../../lambdas/usecases/create-message';
import { sendMessage } from '../../../lambdas/usecases/send-message';
import { phoneIn, useSendFixture } from './send-fixture';

// Tuesday 2026-03-10, 10:00 in New Orleans, Jackson and Dallas (CDT, UTC-5).
const TUE_10_00_CDT = '2026-03-10T15:00:00.000Z';
const HOUR_MS = 3_600_000;
const at = (offsetMs: number) => new Date(Date.parse(TUE_10_00_CDT) + offsetMs).toISOString();

const fx = useSendFixture(TUE_10_00_CDT);
const outboxTo = (phone: string) => fx.twilio.outbox().filter((entry) => entry.to === phone);

/** A drip step due now, queued as the sweep leaves it. */
const drip = async (agent: Agent, phone: string) => (await fx.queuedMessage(agent, phone)).messageId;

async function contactIn(agent: Agent, areaCode: string, state: string) {
  const phone = phoneIn(areaCode);
  await fx.newContact(agent, phone, { state });
  return phone;
}

// Blackouts apply to the whole platform: each test declares its own state's.
describe('the send path under a state-of-emergency blackout (RULES §3)', () => {
  beforeEach(() => fx.clock.set(TUE_10_00_CDT));

  it('holds a due drip step to Louisiana until the end, then sends it; Texas and manual texts are unaffected', async () => {
    // prepare
    const agent = await fx.newAgent();
    const louisiana = await contactIn(agent, '504', 'LA');
    const texas = await contactIn(agent, '214', 'TX');
    const blackout = await declareBlackout(fx.deps, {
      states: ['LA'],
      start: at(-HOUR_MS),
      end: '2026-03-10T22:00:30.000Z',
      reason: 'Hurricane: state of emergency',
    });

    // act
    const held = await sendMessage(fx.deps, await drip(agent, louisiana));
    const other = await sendMessage(fx.deps, await drip(agent, texas));
    const manual = await createMessage(fx.deps, agent, { to: louisiana, body: 'Your inspection is at 4' });
    const manualSent = await sendMessage(fx.deps, manual.messageId);
    fx.clock.set(held.message!.releaseAt!);
    const released = await sendMessage(fx.deps, held.message!.messageId);

    // assess
    expect(held.outcome).toBe('held');
    // whole-minute release, like every release (Scheduler's precision)
    expect(held.message?.releaseAt).toBe('2026-03-10T22:01:00.000Z');
    expect(fx.scheduler.releases).toContainEqual(
      expect.objectContaining({ messageId: held.message?.messageId, releaseAt: '2026-03-10T22:01:00.000Z' }),
    );
    expect(held.message?.receipt?.blackouts).toEqual([
      { id: blackout.blackoutId, states: ['LA'], reason: 'Hurricane: state of emergency', end: blackout.end },
    ]);
    expect(other.outcome).toBe('sent');
    expect(other.message?.receipt?.blackouts).toBeUndefined();
    expect(manualSent.outcome).toBe('sent');
    expect(released.outcome).toBe('sent');
    expect(outboxTo(louisiana)).toHaveLength(2);
  });

  it('holds a text when a blackout is declared while the worker was deciding: its claim fails, no slot is taken', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = await contactIn(agent, '601', 'MS');
    const messageId = await drip(agent, phone);
    const declaredMeanwhile = async () => {
      await declareBlackout(fx.deps, {
        states: ['MS'],
        start: fx.clock.now().toISOString(),
        end: at(2 * HOUR_MS),
        reason: 'Tornado: state of emergency',
      });
    };
    const today = TUE_10_00_CDT.slice(0, 10);
    const slotsBefore = await fx.deps.stores.caps.agentSendsOn(agent.agentId, today);

    // act
    const outcome = await sendMessage(fx.deps, messageId, { beforeClaim: declaredMeanwhile });

    // assess
    expect(outcome.outcome).toBe('held');
    expect(outboxTo(phone)).toEqual([]);
    const stored = await fx.deps.stores.messages.get(messageId);
    expect(stored?.status).toBe('held');
    expect(stored?.releaseAt).toBe(at(2 * HOUR_MS));
    expect(stored?.history.map((change) => change.status)).toEqual(['held']);
    expect(stored?.receipt?.blackouts?.[0]?.reason).toBe('Tornado: state of emergency');
    expect(await fx.deps.stores.caps.agentSendsOn(agent.agentId, today)).toBe(slotsBefore);
  });

  it('holds again, at its release, a text held before the blackout was declared', async () => {
    // prepare: 21:00 in New Orleans is past the window: held until Wednesday 08:00
    fx.clock.set('2026-03-11T02:00:00.000Z');
    const agent = await fx.newAgent();
    const phone = await contactIn(agent, '985', 'LA');
    const first = await sendMessage(fx.deps, await drip(agent, phone));
    fx.clock.set('2026-03-11T04:00:00.000Z');
    const blackout = await declareBlackout(fx.deps, {
      states: ['LA', 'MS'],
      start: '2026-03-11T05:00:00.000Z',
      end: '2026-03-11T18:00:00.000Z',
      reason: 'Flooding: state of emergency',
    });

    // act
    fx.clock.set(first.message!.releaseAt!);
    const again = await sendMessage(fx.deps, first.message!.messageId);

    // assess
    expect(first.message?.releaseAt).toBe('2026-03-11T13:00:00.000Z');
    expect(again.outcome).toBe('held');
    expect(again.message?.releaseAt).toBe(blackout.end);
    expect(again.message?.receipt?.blackouts?.map((held) => held.id)).toEqual([blackout.blackoutId]);
    expect(outboxTo(phone)).toEqual([]);
  });

  it('strands nothing when a blackout is ended early: the held text is decided again at once, new ones go', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = await contactIn(agent, '205', 'AL');
    const blackout = await declareBlackout(fx.deps, {
      states: ['AL'],
      start: at(-HOUR_MS),
      end: at(5 * HOUR_MS),
      reason: 'Hurricane: state of emergency',
    });
    const held = await sendMessage(fx.deps, await drip(agent, phone));

    // act
    fx.clock.set(at(HOUR_MS));
    const ended = await endBlackout(fx.deps, blackout.blackoutId, { reason: 'declaration lifted' });
    const requeued = fx.queue.enqueued.filter((entry) => entry.messageId === held.message!.messageId);
    const released = await sendMessage(fx.deps, held.message!.messageId);
    const fresh = await sendMessage(fx.deps, await drip(agent, await contactIn(agent, '205', 'AL')));
    fx.clock.set(held.message!.releaseAt!);
    const atOldRelease = await sendMessage(fx.deps, held.message!.messageId);

    // assess
    expect(held.message?.releaseAt).toBe(at(5 * HOUR_MS));
    expect(ended.requeued).toBe(1);
    expect(requeued).toEqual([
      {
        messageId: held.message!.messageId,
        phone,
        dedupSuffix: `blackout-end#${blackout.blackoutId}`,
        gate: gateKeyOf(held.message!),
      },
    ]);
    expect(released.outcome).toBe('sent');
    expect(fresh.outcome).toBe('sent');
    // the schedule booked for the old release still fires: the worker finds the text sent
    expect(atOldRelease.outcome).toBe('skipped');
    expect(outboxTo(phone)).toHaveLength(1);
  });
});
