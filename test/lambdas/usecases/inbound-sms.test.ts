import { countRoundTrips } from '../../../lambdas/adapters/dynamo';
import type { Agent, MessageRecord } from '../../../lambdas/ports';
import { enrollContact } from '../../../lambdas/usecases/enroll';
import { PROCESSING_LEASE_MS, receiveInboundSms } from '../../../lambdas/usecases/inbound-sms';
import { newInboundRecord } from '../../../lambdas/usecases/message-records';
import { randomPhone, textTo, useTwilioFixture } from '../handlers/twilio/fixture';

describe('receiveInboundSms', () => {
  const fx = useTwilioFixture();

  beforeEach(() => {
    fx.enqueue.mockClear();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const later = (ms: number) => fx.clock.advanceTo(new Date(fx.clock.now().getTime() + ms));

  /** Opt-out confirmations to the phone, whichever agent sent them. */
  const confirmations = async (phone: string, agents: Agent[]): Promise<MessageRecord[]> => {
    const lists = await Promise.all(
      agents.map((a) => fx.deps.stores.messages.listByContact(a.agentId, phone)),
    );
    return lists
      .flat()
      .filter((message): message is MessageRecord => message.messageId.startsWith('optout_'));
  };

  describe('across agents', () => {
    it("blocks agent B's consented automated text after a STOP to agent A", async () => {
      // prepare
      const [a, b] = [
        await fx.newAgent(),
        await fx.newAgent({ name: 'Lee Park', brokerage: 'Summit Homes' }),
      ];
      const phone = randomPhone();
      await fx.consent(b, phone);
      expect((await fx.gate(b, phone)).verdict).toBe('send');

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(a, phone, 'STOP!'));

      // assess
      expect(outcome.kind).toBe('opted_out');
      const decision = await fx.gate(b, phone);
      expect(decision.verdict).toBe('block');
      expect(decision.receipt.reasons.join(' ')).toMatch(/global opt-out/);
    });

    it('restores agent A only when the contact texts START to A after a STOP', async () => {
      // prepare
      const [a, b] = [await fx.newAgent(), await fx.newAgent()];
      const phone = randomPhone();
      await fx.consent(a, phone);
      await fx.consent(b, phone);
      await receiveInboundSms(fx.deps, textTo(a, phone, 'STOP!'));
      later(60_000);

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(a, phone, 'START'));

      // assess
      expect(outcome.kind).toBe('opted_in');
      expect((await fx.gate(a, phone)).verdict).toBe('send');
      expect((await fx.gate(b, phone)).verdict).toBe('block');
    });

    it('sends no second confirmation when the opted-out phone texts STOP to another agent', async () => {
      // prepare
      const [a, b] = [await fx.newAgent(), await fx.newAgent()];
      const phone = randomPhone();
      await fx.consent(b, phone);
      await receiveInboundSms(fx.deps, textTo(a, phone, 'STOP!'));
      later(60_000);

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(b, phone, 'STOP!'));

      // assess
      expect(outcome.kind).toBe('already_opted_out');
      expect(await confirmations(phone, [a, b])).toHaveLength(1);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect(fx.enqueue).toHaveBeenCalledTimes(1);
    });

    it('opts the phone out again when, after re-consenting to A, it texts STOP to B', async () => {
      // prepare
      const [a, b] = [await fx.newAgent(), await fx.newAgent()];
      const phone = randomPhone();
      await receiveInboundSms(fx.deps, textTo(a, phone, 'STOP!'));
      later(60_000);
      await receiveInboundSms(fx.deps, textTo(a, phone, 'YES'));
      later(60_000);

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(b, phone, 'STOP!'));

      // assess
      expect(outcome.kind).toBe('opted_out');
      expect((await fx.gate(a, phone)).verdict).toBe('block');
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(2);
      expect(await confirmations(phone, [a, b])).toHaveLength(2);
    });

    it("ends agent B's cadence when the phone texts STOP to agent A", async () => {
      // prepare: B holds written consent and runs a cadence; A has never had a record for the phone
      const [a, b] = [await fx.newAgent(), await fx.newAgent()];
      const phone = randomPhone();
      await fx.deps.stores.contacts.upsert(b.agentId, phone, {}, fx.clock.now().toISOString());
      await fx.consent(b, phone);
      await enrollContact(fx.deps, b, phone);

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(a, phone, 'STOP'));

      // assess
      expect(outcome.kind).toBe('opted_out');
      const optOutId = outcome.kind === 'opted_out' ? outcome.optOutId : undefined;
      expect((await fx.deps.stores.contacts.get(b.agentId, phone))?.enrollment).toMatchObject({
        status: 'stopped',
        stoppedByEvent: optOutId,
      });
    });

    it('confirms once when STOPs with different SIDs reach two agents at once', async () => {
      // prepare
      const [a, b] = [await fx.newAgent(), await fx.newAgent()];
      const phone = randomPhone();

      // act
      await Promise.all([
        receiveInboundSms(fx.deps, textTo(a, phone, 'STOP!')),
        receiveInboundSms(fx.deps, textTo(b, phone, 'STOP!')),
        receiveInboundSms(fx.deps, textTo(a, phone, 'unsubscribe.')),
      ]);

      // assess
      expect(await confirmations(phone, [a, b])).toHaveLength(1);
      expect(fx.enqueue).toHaveBeenCalledTimes(1);
    });
  });

  describe('double opt-in', () => {
    it('marks the double opt-in rejected when a contact who was asked answers STOP', async () => {
      // prepare
      const agent = await fx.newAgent({ doubleOptIn: true });
      const phone = randomPhone();
      const at = fx.clock.now().toISOString();
      await fx.deps.stores.contacts.upsert(agent.agentId, phone, { name: 'Ari' }, at);
      await fx.deps.stores.contacts.setDoubleOptIn(agent.agentId, phone, 'sent', at);

      // act
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'STOP!'));

      // assess
      const contact = await fx.deps.stores.contacts.get(agent.agentId, phone);
      expect(contact?.doubleOptIn?.status).toBe('rejected');
    });

    it('marks the double opt-in accepted on YES, creating the contact when it was unknown', async () => {
      // prepare
      const agent = await fx.newAgent({ doubleOptIn: true });
      const phone = randomPhone();

      // act
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'YES'));

      // assess
      const contact = await fx.deps.stores.contacts.get(agent.agentId, phone);
      expect(contact?.doubleOptIn?.status).toBe('accepted');
    });

    it('leaves the double opt-in alone for an agent who does not use it', async () => {
      // prepare
      const agent = await fx.newAgent({ doubleOptIn: false });
      const phone = randomPhone();

      // act
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'START'));

      // assess
      expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
    });
  });

  describe('redelivery after a failure', () => {
    it('writes the opt-out on the redelivery when the first delivery failed before it', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      const stop = textTo(agent, phone, 'STOP!');
      jest.spyOn(fx.deps.stores.stops, 'record').mockRejectedValueOnce(new Error('DynamoDB unreachable'));
      await expect(receiveInboundSms(fx.deps, stop)).rejects.toThrow('DynamoDB unreachable');
      expect(await fx.deps.stores.optouts.list(phone)).toEqual([]);

      // act
      const outcome = await receiveInboundSms(fx.deps, stop);

      // assess
      expect(outcome.kind).toBe('opted_out');
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect(await confirmations(phone, [agent])).toHaveLength(1);
      expect(fx.enqueue).toHaveBeenCalledTimes(1);
      expect((await fx.deps.stores.messages.getInbound(stop.messageSid))?.status).toBe('handled');
    });

    it('queues the confirmation on the redelivery when the first delivery failed to enqueue it', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      const stop = textTo(agent, phone, 'STOP!');
      fx.enqueue.mockRejectedValueOnce(new Error('SQS unreachable'));
      await expect(receiveInboundSms(fx.deps, stop)).rejects.toThrow('SQS unreachable');

      // act
      await receiveInboundSms(fx.deps, stop);

      // assess
      const [confirmation] = await confirmations(phone, [agent]);
      expect(fx.enqueue.mock.calls.map(([message]) => message.messageId)).toEqual([
        confirmation?.messageId,
        confirmation?.messageId,
      ]);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect(await fx.deps.stores.ledger.list(agent.agentId, phone)).toHaveLength(1);
    });

    it('takes over a delivery that crashed midway once its lease has expired, not before', async () => {
      // prepare: a delivery claimed the message and died without a trace
      const agent = await fx.newAgent();
      const phone = randomPhone();
      const stop = textTo(agent, phone, 'STOP!');
      const at = fx.clock.now().toISOString();
      await fx.deps.stores.messages.claimInbound(
        newInboundRecord(agent, stop, fx.clock.now()),
        PROCESSING_LEASE_MS,
      );

      // act
      const early = await receiveInboundSms(fx.deps, stop);
      later(PROCESSING_LEASE_MS + 1);
      const late = await receiveInboundSms(fx.deps, stop);

      // assess
      expect(early.kind).toBe('duplicate');
      expect(late.kind).toBe('opted_out');
      expect(await fx.deps.stores.optouts.list(phone)).toEqual([
        expect.objectContaining({ at, messageSid: stop.messageSid }),
      ]);
    });
  });

  describe('duplicates', () => {
    it('gives a duplicate delivery no further effect, for one claim write', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      const text = textTo(agent, phone, 'Is the house still for sale?');
      await receiveInboundSms(fx.deps, text);
      const trips = countRoundTrips(fx.client);

      // act
      const again = await receiveInboundSms(fx.deps, text);

      // assess: the agent lookup and the refused claim
      expect(again.kind).toBe('duplicate');
      expect(trips.count()).toBeLessThanOrEqual(2);
      expect(fx.enqueue).toHaveBeenCalledTimes(1);
    });

    it('lets one of two concurrent deliveries of a STOP act on it', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      const stop = textTo(agent, phone, 'STOP');

      // act
      const outcomes = await Promise.all([
        receiveInboundSms(fx.deps, stop),
        receiveInboundSms(fx.deps, stop),
      ]);

      // assess
      expect(outcomes.map((outcome) => outcome.kind).sort()).toStrictEqual(['duplicate', 'opted_out']);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect((await fx.deps.stores.messages.getInbound(stop.messageSid))?.status).toBe('handled');
    });
  });

  describe('cost', () => {
    it('makes at most 2 DynamoDB round trips for a STOP on a warm Lambda, the opt-out durable at the 200', async () => {
      // prepare: the agent has had a text before, so this process knows its number
      const agent = await fx.newAgent();
      const phone = randomPhone();
      await fx.consent(agent, phone);
      await receiveInboundSms(fx.deps, textTo(agent, randomPhone(), 'Is the house still for sale?'));
      const trips = countRoundTrips(fx.client);

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(agent, phone, 'STOP!'));

      // assess: the phone's state with the contact (one BatchGetItem), then one transaction
      const counted = trips.count();
      expect(outcome.kind).toBe('opted_out');
      expect(counted).toBeLessThanOrEqual(2);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      const [confirmation] = await confirmations(phone, [agent]);
      expect(fx.enqueue).toHaveBeenLastCalledWith({ messageId: confirmation?.messageId, phone });
    });

    it('makes at most 3 DynamoDB round trips for a STOP from a phone that opted out before and re-consented', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'STOP'));
      later(60_000);
      await fx.consent(agent, phone, { at: fx.clock.now().toISOString() });
      later(60_000);
      const trips = countRoundTrips(fx.client);

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(agent, phone, 'STOP!'));

      // assess: the state shows an opt-out, so the records are read too (one Query)
      expect(outcome.kind).toBe('opted_out');
      expect(trips.count()).toBeLessThanOrEqual(3);
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(2);
      expect(await confirmations(phone, [agent])).toHaveLength(1);
    });

    it('makes at most 2 DynamoDB round trips for a revocation phrase, and one more on a cold Lambda', async () => {
      // prepare: a new agent nobody has texted yet
      const agent = await fx.newAgent();
      const trips = countRoundTrips(fx.client);

      // act
      const cold = await receiveInboundSms(fx.deps, textTo(agent, randomPhone(), 'please stop texting me'));
      const coldTrips = trips.count();
      trips.reset();
      const warm = await receiveInboundSms(fx.deps, textTo(agent, randomPhone(), 'please stop texting me'));

      // assess
      expect([cold.kind, warm.kind]).toStrictEqual(['opted_out', 'opted_out']);
      expect(coldTrips).toBeLessThanOrEqual(3);
      expect(trips.count()).toBeLessThanOrEqual(2);
    });
  });
});
