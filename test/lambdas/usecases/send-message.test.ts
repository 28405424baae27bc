import type { Deps } from '../../../lambdas/usecases/deps';
import type { MessageRecord } from '../../../lambdas/ports';
import { declareBlackout } from '../../../lambdas/usecases/blackouts';
import { createMessage } from '../../../lambdas/usecases/create-message';
import { PROCESSING_LEASE_MS } from '../../../lambdas/usecases/inbound-sms';
import { newInboundRecord, newMessageRecord } from '../../../lambdas/usecases/message-records';
import { RetryableSendError, sendMessage } from '../../../lambdas/usecases/send-message';
import { phoneIn, useSendFixture } from './send-fixture';

// Tuesday 2026-03-03, Eastern Standard Time (UTC-5) until DST starts on 2026-03-08.
const TUE_22_00_EST = '2026-03-04T03:00:00.000Z';
const WED_08_00_EST = '2026-03-04T13:00:00.000Z';
const WED_09_00_EST = '2026-03-04T14:00:00.000Z';
const TUE_10_00_EST = '2026-03-03T15:00:00.000Z';

const fx = useSendFixture(TUE_10_00_EST);

const statuses = (message: MessageRecord | undefined) => message?.history.map((change) => change.status);
const outboxTo = (phone: string) => fx.twilio.outbox().filter((entry) => entry.to === phone);
const stored = (messageId: string) => fx.deps.stores.messages.get(messageId);

/** A manual message created through the use case the API calls, at the clock's now. */
async function manualMessage(
  agent: Parameters<typeof createMessage>[1],
  to: string,
  body = 'Open house Sunday?',
) {
  return createMessage(fx.deps, agent, { to, body });
}

describe('sendMessage', () => {
  describe('held messages', () => {
    it('holds a text created at 22:00 New York time until 08:00, then re-checks and sends it', async () => {
      // prepare
      fx.clock.set(TUE_22_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY', timeZone: 'America/New_York' });

      // act
      const accepted = await manualMessage(agent, phone);
      fx.clock.set(WED_08_00_EST);
      const released = await sendMessage(fx.deps, accepted.messageId);

      // assess
      expect(accepted.verdict).toBe('hold');
      expect(accepted.releaseAt).toBe(WED_08_00_EST);
      expect(fx.scheduler.releases).toContainEqual({
        messageId: accepted.messageId,
        phone,
        releaseAt: WED_08_00_EST,
        attempt: 1,
      });
      expect(released.outcome).toBe('sent');
      const sent = outboxTo(phone);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.body).toContain('Open house Sunday?');
      const message = await stored(accepted.messageId);
      expect(message?.status).toBe('sent');
      expect(message?.twilioSid).toBe(sent[0]?.sid);
      expect(message?.sentBody).toBe(sent[0]?.body);
      expect(statuses(message)).toEqual(['queued', 'held', 'sending', 'sent']);
      expect(message?.history[2]?.receipt?.decidedAt).toBe(WED_08_00_EST);
    });

    it('holds a Connecticut contact until 09:00, the state window start', async () => {
      // prepare
      fx.clock.set(TUE_22_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('203');
      await fx.newContact(agent, phone, { state: 'CT', timeZone: 'America/New_York' });

      // act
      const accepted = await manualMessage(agent, phone);

      // assess
      expect(accepted.verdict).toBe('hold');
      expect(accepted.releaseAt).toBe(WED_09_00_EST);
      const message = await stored(accepted.messageId);
      expect(message?.status).toBe('held');
      expect(message?.releaseAt).toBe(WED_09_00_EST);
      expect(message?.history.at(-1)?.reasons?.length).toBeGreaterThan(0);
    });

    it('holds again, without sending, when the release comes before the window opens', async () => {
      // prepare
      fx.clock.set(TUE_22_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const accepted = await manualMessage(agent, phone);

      // act
      const early = await sendMessage(fx.deps, accepted.messageId);

      // assess
      expect(early.outcome).toBe('held');
      expect(outboxTo(phone)).toEqual([]);
      // The early arrival is recorded and booked again under a new attempt, never dropped.
      const message = await stored(accepted.messageId);
      expect(statuses(message)).toEqual(['queued', 'held', 'held']);
      const attempts = fx.scheduler.releases.filter((release) => release.messageId === accepted.messageId);
      expect(new Set(attempts.map((release) => release.attempt)).size).toBe(attempts.length);
      expect(attempts).toHaveLength(2);
      // Each booking is named by the moves before it, the worker's too: it reads the whole history to hold.
      expect(attempts.map((release) => release.attempt)).toEqual([1, 2]);
    });

    it('blocks a held text at release when the contact opted out in between', async () => {
      // prepare
      fx.clock.set(TUE_22_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const accepted = await manualMessage(agent, phone);
      await fx.deps.stores.optouts.record(
        { phone, at: '2026-03-04T03:30:00.000Z', source: 'keyword', words: 'STOP', agentId: agent.agentId },
        '2026-03-04T03:30:00.000Z',
      );

      // act
      fx.clock.set(WED_08_00_EST);
      const released = await sendMessage(fx.deps, accepted.messageId);

      // assess
      expect(released.outcome).toBe('blocked');
      expect(outboxTo(phone)).toEqual([]);
      const message = await stored(accepted.messageId);
      expect(message?.status).toBe('blocked');
      expect(message?.releaseAt).toBeUndefined();
      expect(message?.history.at(-1)?.reasons).toContain('the number is on the global opt-out list');
    });
  });

  describe('at most once toward the recipient', () => {
    it('calls Twilio once when two workers race on the same message', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phones = [phoneIn('212'), phoneIn('212'), phoneIn('212'), phoneIn('212'), phoneIn('212')];
      const messages = [];
      for (const phone of phones) {
        await fx.newContact(agent, phone, { state: 'NY' });
        messages.push(await manualMessage(agent, phone));
      }

      // act
      const outcomes = await Promise.all(
        messages.map((message) =>
          Promise.all([sendMessage(fx.deps, message.messageId), sendMessage(fx.deps, message.messageId)]),
        ),
      );

      // assess
      for (const [i, phone] of phones.entries()) {
        expect(outboxTo(phone)).toHaveLength(1);
        expect(outcomes[i]?.filter((result) => result.outcome === 'sent')).toHaveLength(1);
        expect((await stored(messages[i]!.messageId))?.status).toBe('sent');
      }
    });

    it('never calls Twilio again after a worker died between sending and the answer', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      const crash = () => Promise.reject(new Error('worker killed'));

      // act
      const first = sendMessage(fx.deps, messageId, { afterSendingClaimed: crash });
      await expect(first).rejects.toThrow('worker killed');
      const leftSending = await stored(messageId);
      const redelivered = await sendMessage(fx.deps, messageId);
      const again = await sendMessage(fx.deps, messageId);

      // assess
      expect(leftSending?.status).toBe('sending');
      expect(redelivered.outcome).toBe('needs_review');
      expect(again.outcome).toBe('skipped');
      expect(outboxTo(phone)).toEqual([]);
      const message = await stored(messageId);
      expect(message?.status).toBe('needs_review');
      expect(message?.history.at(-1)?.reasons).toEqual([
        "worker stopped between sending and Twilio's answer; not resent",
      ]);
    });

    it('stops a text whose recipient opted out while the worker was deciding', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      const stopArrives = async () => {
        const at = fx.clock.now().toISOString();
        await fx.deps.stores.optouts.record({ phone, at, source: 'keyword', words: 'STOP' }, at);
      };

      // act
      const outcome = await sendMessage(fx.deps, messageId, { beforeClaim: stopArrives });

      // assess
      expect(outcome.outcome).toBe('blocked');
      expect(outboxTo(phone)).toEqual([]);
      const message = await stored(messageId);
      expect(message?.status).toBe('blocked');
      // The claim saw the opt-out chain move and refused; the gate, reading again, blocked.
      expect(message?.history.at(-1)?.reasons).toContain('the number is on the global opt-out list');
      expect(statuses(message)).not.toContain('sending');
    });

    it('records the sent state when a second worker took the live send for a crash', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      let secondWorker: Awaited<ReturnType<typeof sendMessage>> | undefined;
      const whileSending = async () => {
        secondWorker = await sendMessage(fx.deps, messageId);
      };

      // act
      const firstWorker = await sendMessage(fx.deps, messageId, { afterSendingClaimed: whileSending });

      // assess
      expect(secondWorker?.outcome).toBe('needs_review');
      expect(firstWorker.outcome).toBe('sent');
      expect(outboxTo(phone)).toHaveLength(1);
      const message = await stored(messageId);
      expect(statuses(message)).toEqual(['queued', 'sending', 'needs_review', 'sent']);
      expect(message?.twilioSid).toBe(outboxTo(phone)[0]?.sid);
    });

    it('puts the message back on the queue when Twilio answers 500, and sends it on the retry', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      fx.twilio.failNext(1, '500');

      // act
      const first = sendMessage(fx.deps, messageId);
      await expect(first).rejects.toBeInstanceOf(RetryableSendError);
      const between = await stored(messageId);
      const retry = await sendMessage(fx.deps, messageId);

      // assess
      expect(between?.status).toBe('queued');
      expect(between?.history.at(-1)?.errorCode).toBe('20500');
      expect(retry.outcome).toBe('sent');
      expect(outboxTo(phone)).toHaveLength(1);
      expect(statuses(await stored(messageId))).toEqual(['queued', 'sending', 'queued', 'sending', 'sent']);
    });

    it('stops for human review, without resending, when Twilio does not answer in time', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      fx.twilio.failNext(1, 'timeout');

      // act
      const timedOut = await sendMessage(fx.deps, messageId);
      const redelivered = await sendMessage(fx.deps, messageId);

      // assess
      expect(timedOut.outcome).toBe('needs_review');
      expect(redelivered.outcome).toBe('skipped');
      expect(outboxTo(phone)).toEqual([]);
      const message = await stored(messageId);
      expect(message?.status).toBe('needs_review');
      expect(message?.errorCode).toBe('timeout');
    });
  });

  describe("Twilio's refusals", () => {
    it('blocks the text and records a global opt-out when Twilio answers 21610', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const otherAgent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      await fx.newContact(otherAgent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      fx.twilio.failNumber(phone, '21610', 'reject');

      // act
      const result = await sendMessage(fx.deps, messageId);
      const otherAgentsText = await manualMessage(otherAgent, phone);

      // assess
      expect(result.outcome).toBe('blocked');
      const message = await stored(messageId);
      expect(message?.status).toBe('blocked');
      expect(message?.errorCode).toBe('21610');
      const optOuts = await fx.deps.stores.optouts.list(phone);
      expect(optOuts.map((optOut) => optOut.source)).toEqual(['carrier_21610']);
      expect(otherAgentsText.verdict).toBe('block');
      expect(otherAgentsText.receipt.reasons).toContain('the number is on the global opt-out list');
    });

    it('marks the text failed with the error code when Twilio refuses the number', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      fx.twilio.failNumber(phone, '21211', 'reject');

      // act
      const result = await sendMessage(fx.deps, messageId);

      // assess
      expect(result.outcome).toBe('failed');
      const message = await stored(messageId);
      expect(message?.status).toBe('failed');
      expect(message?.errorCode).toBe('21211');
      expect(await fx.deps.stores.optouts.list(phone)).toEqual([]);
    });
  });

  describe('fresh reads at the last moment', () => {
    it('blocks a queued text when the agent was suspended after it was queued', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const accepted = await manualMessage(agent, phone);
      await fx.deps.stores.agents.setSuspended(agent.agentId, true, TUE_10_00_EST, 'complaint under review');

      // act
      const result = await sendMessage(fx.deps, accepted.messageId);

      // assess
      expect(accepted.verdict).toBe('send');
      expect(result.outcome).toBe('blocked');
      expect(outboxTo(phone)).toEqual([]);
      expect((await stored(accepted.messageId))?.history.at(-1)?.reasons).toContain(
        'account suspended pending review: complaint under review',
      );
    });

    it('does not send a text whose agent is suspended while the worker was deciding', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const accepted = await manualMessage(agent, phone);

      // act
      const result = await sendMessage(fx.deps, accepted.messageId, {
        beforeClaim: async () => {
          await fx.deps.stores.agents.setSuspended(agent.agentId, true, TUE_10_00_EST, 'spam complaints');
        },
      });

      // assess
      expect(result.outcome).toBe('blocked');
      expect(outboxTo(phone)).toEqual([]);
      const last = (await stored(accepted.messageId))?.history.at(-1);
      expect(last?.status).toBe('blocked');
      expect(last?.reasons).toContain('account suspended pending review: spam complaints');
      expect(statuses(await stored(accepted.messageId))).not.toContain('sending');
    });

    it('holds the 4th text to a Florida number within 24 h until the rolling window frees, then sends it', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = phoneIn('305');
      await fx.newContact(agent, phone, { state: 'FL', timeZone: 'America/New_York' });
      const sendTimes = ['2026-03-03T15:00:00.000Z', '2026-03-03T16:00:00.000Z', '2026-03-03T17:00:00.000Z'];
      for (const at of sendTimes) {
        fx.clock.set(at);
        const { messageId } = await manualMessage(agent, phone);
        await sendMessage(fx.deps, messageId);
      }
      fx.clock.set('2026-03-03T18:00:00.000Z');
      const fourth = await manualMessage(agent, phone);

      // act
      const atCreation = fourth.verdict;
      const inWorker = await sendMessage(fx.deps, fourth.messageId);
      fx.clock.set('2026-03-04T15:00:00.000Z');
      const released = await sendMessage(fx.deps, fourth.messageId);

      // assess
      expect(atCreation).toBe('hold');
      expect(fourth.releaseAt).toBe('2026-03-04T15:00:00.000Z');
      expect(inWorker.outcome).toBe('held');
      expect(released.outcome).toBe('sent');
      expect(outboxTo(phone)).toHaveLength(4);
    });

    it('lets only 3 of 4 texts queued together for a Florida number take a slot', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('305');
      await fx.newContact(agent, phone, { state: 'FL' });
      const queued = [];
      for (let i = 0; i < 4; i += 1) queued.push(await manualMessage(agent, phone, `Update ${i}`));

      // act
      const results = await Promise.all(queued.map((message) => sendMessage(fx.deps, message.messageId)));

      // assess
      expect(queued.map((message) => message.verdict)).toEqual(['send', 'send', 'send', 'send']);
      expect(results.map((result) => result.outcome).sort()).toEqual(['held', 'sent', 'sent', 'sent']);
      expect(outboxTo(phone)).toHaveLength(3);
      const held = results.find((result) => result.outcome === 'held');
      expect(held?.message?.releaseAt).toBe('2026-03-04T15:00:00.000Z');
    });

    it('sends a forwarded inbound text to the agent’s own phone, never to the contact, at any hour', async () => {
      // prepare
      fx.clock.set(TUE_22_00_EST);
      const agent = await fx.newAgent();
      const contactPhone = phoneIn('212');
      await fx.newContact(agent, contactPhone, { state: 'NY' }, false);
      const forward = newMessageRecord({
        agentId: agent.agentId,
        phone: contactPhone,
        kind: 'forward',
        purpose: 'confirmation',
        body: `Text from ${contactPhone}: is the house still available?`,
        at: fx.clock.now(),
      });
      await fx.deps.stores.messages.create(forward);

      // act
      const result = await sendMessage(fx.deps, forward.messageId);

      // assess
      expect(result.outcome).toBe('sent');
      expect(outboxTo(contactPhone)).toEqual([]);
      expect(outboxTo(agent.forwardTo)).toHaveLength(1);
      expect(outboxTo(agent.forwardTo)[0]?.from).toBe(agent.senderNumber);
    });

    it('leaves a final message, a missing one and a received text alone', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      const blocked = await manualMessage(agent, phone);
      const inbound = newInboundRecord(
        agent,
        { messageSid: 'SMreceived1', from: phone, to: agent.senderNumber, body: 'Is it still for sale?' },
        fx.clock.now(),
      );
      await fx.deps.stores.messages.claimInbound(inbound, PROCESSING_LEASE_MS);

      // act
      const result = await sendMessage(fx.deps, blocked.messageId);
      const missing = await sendMessage(fx.deps, 'msg_does_not_exist');
      const received = await sendMessage(fx.deps, inbound.messageId);

      // assess
      expect(blocked.verdict).toBe('block');
      expect(result.outcome).toBe('skipped');
      expect(missing.outcome).toBe('skipped');
      expect(received.outcome).toBe('skipped');
      expect((await fx.deps.stores.messages.getInbound(inbound.messageSid))?.status).toBe('processing');
      expect(outboxTo(phone)).toEqual([]);
    });
  });

  describe('cost', () => {
    it('makes at most 7 DynamoDB round trips for a text that goes at once', async () => {
      // prepare
      fx.clock.set(TUE_10_00_EST);
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY' });
      const { messageId } = await manualMessage(agent, phone);
      fx.trips.reset();

      // act
      const result = await sendMessage(fx.deps, messageId);

      // assess
      expect(result.outcome).toBe('sent');
      // get message; one batch of agent, contact, recent sends, agent's day and Twilio's block,
      // with the ledger, opt-out and Lookup Queries; → sending with both cap slots, the consent
      // heads and the agent's suspension checked (one transaction); → sent.
      expect(fx.trips.count()).toBeLessThanOrEqual(7);
    });
  });

  describe('with the gate key the queue message carries', () => {
    /** `fx.deps` whose message and gate reads say, in order, when they start and end. */
    function tracedDeps(order: string[]): Deps {
      const messages = fx.deps.stores.messages;
      const gateReads = fx.deps.stores.gateReads;
      const traced = Object.create(messages) as typeof messages;
      traced.head = async (messageId) => {
        order.push('message read starts');
        const head = await messages.head(messageId);
        order.push('message read ends');
        return (
          head && {
            message: head.message,
            whole: () => {
              order.push('whole message read');
              return head.whole();
            },
          }
        );
      };
      return {
        ...fx.deps,
        stores: {
          ...fx.deps.stores,
          messages: traced,
          gateReads: {
            loadForGate: async (keys) => {
              order.push('gate read starts');
              return gateReads.loadForGate(keys);
            },
          },
        },
      };
    }

    it("reads the message in the gate's batch, not on its own, and sends as on fresh reads", async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY', timeZone: 'America/New_York' });
      const step = await fx.queuedMessage(agent, phone);
      const order: string[] = [];

      // act
      const outcome = await sendMessage(tracedDeps(order), step.messageId, { gate: step });

      // assess
      expect(outcome.outcome).toBe('sent');
      expect(outboxTo(phone)).toHaveLength(1);
      expect(order.filter((entry) => entry === 'gate read starts')).toHaveLength(1);
      expect(order).not.toContain('message read starts');
      // A text that goes needs nothing of its past: its history is not read.
      expect(order).not.toContain('whole message read');
    });

    it('costs one round trip less than the same pass without the key', async () => {
      // prepare
      const agent = await fx.newAgent();
      const [warm, keyed, unkeyed] = [phoneIn('212'), phoneIn('212'), phoneIn('212')];
      for (const phone of [warm, keyed, unkeyed])
        await fx.newContact(agent, phone, { state: 'NY', timeZone: 'America/New_York' });
      const [withKey, withoutKey] = [
        await fx.queuedMessage(agent, keyed),
        await fx.queuedMessage(agent, unkeyed),
      ];
      // The gate's reads remember the agent's sender after a first send (a warm Lambda).
      const first = await fx.queuedMessage(agent, warm);
      await sendMessage(fx.deps, first.messageId, { gate: first });

      // act
      fx.trips.reset();
      const sentWithKey = await sendMessage(fx.deps, withKey.messageId, { gate: withKey });
      const tripsWithKey = fx.trips.count();
      fx.trips.reset();
      const sentWithoutKey = await sendMessage(fx.deps, withoutKey.messageId);
      const tripsWithoutKey = fx.trips.count();

      // assess
      expect([sentWithKey.outcome, sentWithoutKey.outcome]).toStrictEqual(['sent', 'sent']);
      expect(tripsWithKey).toBe(tripsWithoutKey - 1);
    });

    it('reads again when the key does not match the message: a blackout an automated text meets still holds it', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = phoneIn('212');
      await fx.newContact(agent, phone, { state: 'NY', timeZone: 'America/New_York' });
      const step = await fx.queuedMessage(agent, phone);
      await declareBlackout(fx.deps, {
        states: ['NY'],
        start: fx.clock.now().toISOString(),
        end: new Date(fx.clock.now().getTime() + 3_600_000).toISOString(),
        reason: 'Blizzard: state of emergency',
      });
      const order: string[] = [];

      // act: a key that says manual, for which no blackout would be read
      const outcome = await sendMessage(tracedDeps(order), step.messageId, {
        gate: { ...step, purpose: 'manual' },
      });

      // assess
      expect(outcome.outcome).toBe('held');
      expect(outboxTo(phone)).toEqual([]);
      expect(order.filter((entry) => entry === 'gate read starts')).toHaveLength(2);
    });
  });
});
