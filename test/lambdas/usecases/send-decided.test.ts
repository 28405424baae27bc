import { since } from '../../bench/dynamo-meter';
import type { Agent, MessageRecord } from '../../../lambdas/ports';
import { createMessage } from '../../../lambdas/usecases/create-message';
import { DECIDED_SEND_MAX_AGE_MS } from '../../../lambdas/usecases/decided-send';
import { sendMessage } from '../../../lambdas/usecases/send-message';
import { phoneIn, useSendFixture } from './send-fixture';

// Tuesday 2026-03-03, Eastern Standard Time (UTC-5).
const TUE_10_00_EST = '2026-03-03T15:00:00.000Z';
const TUE_20_59_EST = '2026-03-04T01:59:00.000Z';

const fx = useSendFixture(TUE_10_00_EST);

const outboxTo = (phone: string) => fx.twilio.outbox().filter((entry) => entry.to === phone);
const statuses = (message: MessageRecord | undefined) => message?.history.map((change) => change.status);

/** A text through the API's use case, and the queue message the worker gets for it. */
async function queuedByApi(agent: Agent, phone: string) {
  const accepted = await createMessage(fx.deps, agent, { to: phone, body: 'Open house Sunday?' });
  const queued = fx.queue.enqueued.find((entry) => entry.messageId === accepted.messageId);
  return { messageId: accepted.messageId, decided: queued?.decided };
}

async function consentedContact(fields = { state: 'NY' }) {
  const agent = await fx.newAgent();
  const phone = phoneIn('212');
  await fx.newContact(agent, phone, fields);
  return { agent, phone };
}

describe('the worker on the API reads', () => {
  beforeEach(() => fx.clock.set(TUE_10_00_EST));

  it('sends with two round trips of its own: the claim and the sent record', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    const before = fx.meter.snapshot();

    // act
    const outcome = await sendMessage(fx.deps, messageId, { decided });

    // assess
    const used = since(before, fx.meter.snapshot());
    expect(decided?.message.messageId).toBe(messageId);
    expect(outcome.outcome).toBe('sent');
    expect(outboxTo(phone)).toHaveLength(1);
    expect(used.roundTrips).toBe(2);
    expect(Object.keys(used.byOperation).sort()).toEqual(['TransactWriteItems', 'UpdateItem']);
    const stored = await fx.deps.stores.messages.get(messageId);
    expect(statuses(stored)).toEqual(['queued', 'sending', 'sent']);
    // The worker's own decision is on record, taken at its clock.
    expect(stored?.history[1]?.receipt?.verdict).toBe('send');
  });

  it('blocks a text whose recipient opted out after the API decided', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    const at = fx.clock.now().toISOString();
    await fx.deps.stores.optouts.record({ phone, at, source: 'keyword', words: 'STOP' }, at);

    // act
    const outcome = await sendMessage(fx.deps, messageId, { decided });

    // assess
    expect(outcome.outcome).toBe('blocked');
    expect(outboxTo(phone)).toEqual([]);
    const stored = await fx.deps.stores.messages.get(messageId);
    expect(stored?.history.at(-1)?.reasons).toContain('the number is on the global opt-out list');
    expect(statuses(stored)).not.toContain('sending');
  });

  it('blocks a text whose recipient opted out while the worker was deciding', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    const stopArrives = async () => {
      const at = fx.clock.now().toISOString();
      await fx.deps.stores.optouts.record({ phone, at, source: 'keyword', words: 'STOP' }, at);
    };

    // act
    const outcome = await sendMessage(fx.deps, messageId, { decided, beforeClaim: stopArrives });

    // assess
    expect(outcome.outcome).toBe('blocked');
    expect(outboxTo(phone)).toEqual([]);
  });

  it('does not send for an agent suspended after the API decided', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    await fx.deps.stores.agents.setSuspended(agent.agentId, true, fx.clock.now().toISOString(), 'audit');

    // act
    const outcome = await sendMessage(fx.deps, messageId, { decided });

    // assess
    expect(outcome.outcome).toBe('blocked');
    expect(outboxTo(phone)).toEqual([]);
  });

  it('blocks a text to a number found reassigned after the API decided', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    const now = fx.clock.now().toISOString();
    await fx.deps.stores.numbers.recordReassignment({
      phone,
      at: now,
      lastVerifiedDate: now.slice(0, 10),
      recordedAt: now,
      source: 'twilio_lookup',
    });

    // act
    const outcome = await sendMessage(fx.deps, messageId, { decided });

    // assess
    expect(outcome.outcome).toBe('blocked');
    expect(outboxTo(phone)).toEqual([]);
  });

  it('decides the window again at its own clock: a text decided at 20:59 is held at 21:01', async () => {
    // prepare
    fx.clock.set(TUE_20_59_EST);
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    fx.clock.set(new Date(fx.clock.now().getTime() + 2 * 60_000));

    // act
    const outcome = await sendMessage(fx.deps, messageId, { decided });

    // assess
    expect(decided).toBeDefined();
    expect(outcome.outcome).toBe('held');
    expect(outboxTo(phone)).toEqual([]);
  });

  it('does not send twice: a second delivery of the same queue message finds it moved', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    await sendMessage(fx.deps, messageId, { decided });

    // act
    const again = await sendMessage(fx.deps, messageId, { decided });

    // assess
    expect(again.outcome).toBe('skipped');
    expect(outboxTo(phone)).toHaveLength(1);
  });

  it('reads afresh when the API read too long ago, and still sends', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const { messageId, decided } = await queuedByApi(agent, phone);
    fx.clock.set(new Date(fx.clock.now().getTime() + DECIDED_SEND_MAX_AGE_MS + 1_000));
    const before = fx.meter.snapshot();

    // act
    const outcome = await sendMessage(fx.deps, messageId, { decided });

    // assess
    const used = since(before, fx.meter.snapshot());
    expect(outcome.outcome).toBe('sent');
    expect(used.byOperation.GetItem?.roundTrips).toBeGreaterThanOrEqual(1);
    expect(outboxTo(phone)).toHaveLength(1);
  });

  it('does not carry the reads of an automated text: the worker reads afresh', async () => {
    // prepare
    const { agent, phone } = await consentedContact();
    const step = await fx.queuedMessage(agent, phone);
    fx.queue.enqueued.length = 0;

    // act
    const outcome = await sendMessage(fx.deps, step.messageId, {
      decided: { readAt: fx.clock.now().toISOString(), message: step, keyed: { agentSendsToday: 0 } },
    });

    // assess
    expect(outcome.outcome).toBe('sent');
    const stored = await fx.deps.stores.messages.get(step.messageId);
    // Decided on fresh reads: the consent the worker read is the one it relied on.
    expect(stored?.history.find((change) => change.status === 'sending')?.receipt?.consent.permits).toBe(
      true,
    );
  });
});
