import type { Agent, MessageRecord } from '../../../lambdas/ports';
import { capRules } from '../../../lambdas/rules/caps';
import { newMessageRecord } from '../../../lambdas/usecases/message-records';
import { RetryableSendError, sendMessage, type SendOutcome } from '../../../lambdas/usecases/send-message';
import { phoneIn, useSendFixture } from './send-fixture';

// Tuesday 10:00 in New York and Miami: every window is open, so only the caps hold a text.
const NOW = '2026-03-03T15:00:00.000Z';
const NEXT_UTC_DAY = '2026-03-04T00:00:00.000Z';
const WORKERS = 8;
const DUE_TEXTS = 1_000;
const AGENT_CAP = capRules.agentDaily.max;

const fx = useSendFixture(NOW);

/** Express written consent of `phone` for `agent`, a day before now. */
async function consent(agent: Agent, phone: string): Promise<void> {
  await fx.deps.stores.ledger.append(
    {
      agentId: agent.agentId,
      phone,
      channel: 'sms',
      type: 'express_written',
      at: '2026-03-02T15:00:00.000Z',
      method: 'signed_form',
      capturedBy: 'Dana Reyes',
      evidence: 'listing agreement, texting clause signed',
    },
    NOW,
  );
}

/** A queued text as the sweep or the API leaves it, stored directly. */
async function queued(agent: Agent, phone: string, purpose: 'manual' | 'automated'): Promise<string> {
  const record = newMessageRecord({
    agentId: agent.agentId,
    phone,
    kind: purpose === 'manual' ? 'manual' : 'drip',
    purpose,
    body: 'Dana Reyes: a new listing on your street',
    at: new Date(NOW),
  });
  await fx.deps.stores.messages.create(record);
  return record.messageId;
}

/** Runs `work` over `items`, `limit` at a time. */
async function inLanes<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * `WORKERS` send workers draining `ids` at once, the way SQS hands a batch to concurrent
 * Lambdas; a text given back to the queue (RetryableSendError) is delivered again.
 */
async function drain(ids: readonly string[]): Promise<Map<string, SendOutcome['outcome']>> {
  const outcomes = new Map<string, SendOutcome['outcome']>();
  const pending = [...ids];
  while (pending.length > 0) {
    const round = pending.splice(0);
    await inLanes(round, WORKERS, async (id) => {
      try {
        const result = await sendMessage(fx.deps, id);
        outcomes.set(id, result.outcome);
      } catch (error) {
        if (!(error instanceof RetryableSendError)) throw error;
        pending.push(id);
      }
    });
  }
  return outcomes;
}

const count = (outcomes: Map<string, string>, outcome: string): number =>
  [...outcomes.values()].filter((value) => value === outcome).length;

// A few reads at a time: each is an item and its history, two requests.
const stored = async (ids: readonly string[]): Promise<MessageRecord[]> => {
  const found = new Map<string, MessageRecord>();
  await inLanes(ids, 16, async (id) => {
    found.set(id, (await fx.deps.stores.messages.get(id))!);
  });
  return ids.map((id) => found.get(id)!);
};

describe('caps under concurrency', () => {
  it(`sends exactly ${AGENT_CAP} of ${DUE_TEXTS} due texts of one agent with ${WORKERS} workers and holds the rest`, async () => {
    // prepare
    const agent = await fx.newAgent();
    const phones = Array.from({ length: DUE_TEXTS }, (_, i) => `+1212${String(2_000_000 + i)}`);
    const ids: string[] = [];
    await inLanes(phones, 16, async (phone) => {
      await consent(agent, phone);
      ids.push(await queued(agent, phone, 'manual'));
    });
    const outboxBefore = fx.twilio.outbox().length;

    // act
    const outcomes = await drain(ids);

    // assess
    const sentToTwilio = fx.twilio.outbox().length - outboxBefore;
    expect(sentToTwilio).toBe(AGENT_CAP);
    expect(count(outcomes, 'sent')).toBe(AGENT_CAP);
    expect(count(outcomes, 'held')).toBe(DUE_TEXTS - AGENT_CAP);
    expect(await fx.deps.stores.caps.agentSendsOn(agent.agentId, NOW.slice(0, 10))).toBe(AGENT_CAP);
    const held = (await stored(ids)).filter((message) => message.status === 'held');
    expect(held).toHaveLength(DUE_TEXTS - AGENT_CAP);
    for (const message of held) {
      expect(message.releaseAt! >= NEXT_UTC_DAY).toBe(true);
      expect(message.receipt?.reasons.join(' ')).toContain(capRules.agentDaily.label);
      expect(fx.scheduler.releases).toContainEqual(
        expect.objectContaining({
          messageId: message.messageId,
          phone: message.phone,
          releaseAt: message.releaseAt,
        }),
      );
    }
  }, 600_000);

  it('sends exactly 3 of 24 texts from 4 agents to one Florida phone, and 1 of 12 automated texts to one phone', async () => {
    // prepare
    const florida = phoneIn('305');
    const newYork = phoneIn('212');
    const agents = await Promise.all(Array.from({ length: 4 }, () => fx.newAgent()));
    const manualIds: string[] = [];
    const automatedIds: string[] = [];
    for (const agent of agents) {
      await consent(agent, florida);
      await consent(agent, newYork);
      for (let i = 0; i < 6; i += 1) manualIds.push(await queued(agent, florida, 'manual'));
      for (let i = 0; i < 3; i += 1) automatedIds.push(await queued(agent, newYork, 'automated'));
    }

    // act
    const manual = await drain(manualIds);
    const automated = await drain(automatedIds);

    // assess
    expect(fx.twilio.outbox().filter((entry) => entry.to === florida)).toHaveLength(3);
    expect(count(manual, 'sent')).toBe(3);
    expect(count(manual, 'held')).toBe(21);
    expect(fx.twilio.outbox().filter((entry) => entry.to === newYork)).toHaveLength(1);
    expect(count(automated, 'sent')).toBe(1);
    expect(count(automated, 'held')).toBe(11);
    const recent = await fx.deps.stores.caps.recentSends(florida, '2026-03-02T15:00:00.000Z');
    expect(recent.sends).toHaveLength(3);
  }, 120_000);

  it('consumes no slot for a claim that loses: two workers on one text send it once and count it once', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = phoneIn('212');
    await consent(agent, phone);
    const id = await queued(agent, phone, 'manual');

    // act
    const results = await Promise.all(Array.from({ length: WORKERS }, () => sendMessage(fx.deps, id)));

    // assess
    expect(results.filter((result) => result.outcome === 'sent')).toHaveLength(1);
    expect(fx.twilio.outbox().filter((entry) => entry.to === phone)).toHaveLength(1);
    expect(await fx.deps.stores.caps.agentSendsOn(agent.agentId, NOW.slice(0, 10))).toBe(1);
    expect((await fx.deps.stores.caps.recentSends(phone, '2026-03-02T15:00:00.000Z')).sends).toHaveLength(1);
  });

  it('takes nothing when the message is no longer queued or held', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = phoneIn('212');
    const id = await queued(agent, phone, 'manual');
    await fx.deps.stores.messages.transition(id, ['queued'], { status: 'blocked', at: NOW });
    const before = await fx.deps.stores.caps.recentSends(phone, '2026-03-02T15:00:00.000Z');

    // act
    const result = await fx.deps.stores.caps.claimSending({
      messageId: id,
      kept: { createdAt: NOW },
      from: ['queued', 'held'],
      change: { status: 'sending', at: NOW },
      recipient: {
        phone,
        send: { at: NOW, purpose: 'manual', messageId: id },
        seenVersion: before.version,
        keepSince: '2026-03-02T15:00:00.000Z',
      },
      agentDay: { agentId: agent.agentId, utcDate: NOW.slice(0, 10), cap: AGENT_CAP, seenCount: 0 },
    });

    // assess
    expect(result).toEqual({ claimed: false, lost: 'message' });
    expect(await fx.deps.stores.caps.recentSends(phone, '2026-03-02T15:00:00.000Z')).toEqual(before);
    expect(await fx.deps.stores.caps.agentSendsOn(agent.agentId, NOW.slice(0, 10))).toBe(0);
    expect((await fx.deps.stores.messages.get(id))?.status).toBe('blocked');
  });

  it('gives the agent-day slot back when Twilio refuses the text for certain', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = phoneIn('212');
    await consent(agent, phone);
    const id = await queued(agent, phone, 'manual');
    fx.twilio.failNumber(phone, '21211', 'reject');

    // act
    const result = await sendMessage(fx.deps, id);

    // assess
    expect(result.outcome).toBe('failed');
    expect(await fx.deps.stores.caps.agentSendsOn(agent.agentId, NOW.slice(0, 10))).toBe(0);
  });
});
