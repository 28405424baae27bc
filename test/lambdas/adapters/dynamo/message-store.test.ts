import { DynamoMessageStore, InvalidCursorError } from '../../../../lambdas/adapters/dynamo/message-store';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { countRoundTrips } from '../../../../lambdas/adapters/dynamo';
import { DUE_SHARDS, dueShard } from '../../../../lambdas/adapters/dynamo/message-item';
import { retentionExpiry } from '../../../../lambdas/compliance/message-lifecycle';
import type { InboundRecord, MessageRecord, StatusChange } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const store = (pageSize?: number): DynamoMessageStore =>
  new DynamoMessageStore({ client: db.client, tables: db.tables, pageSize });

let ids = 0;
function aMessage(overrides: Partial<MessageRecord> = {}): MessageRecord {
  const agentId = overrides.agentId ?? 'agt_1';
  const phone = overrides.phone ?? '+14155554001';
  const createdAt = overrides.createdAt ?? '2026-11-23T10:00:00.000Z';
  return {
    messageId: `msg_${++ids}`,
    agentId,
    phone,
    kind: 'manual',
    purpose: 'manual',
    body: 'Hi, it is Dana',
    status: 'queued',
    history: [{ status: 'queued', at: createdAt }],
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

const sending: StatusChange = { status: 'sending', at: '2026-11-23T10:00:05.000Z' };

const LEASE_MS = 12_000;
let sids = 0;
/** A text received at `at` (ISO), as one webhook delivery would log it. */
function aReceivedText(at: string, messageSid = `SMin${++sids}`): InboundRecord {
  return {
    messageId: `inbound_${messageSid}`,
    agentId: 'agt_1',
    phone: '+14155554001',
    kind: 'inbound',
    body: 'STOP',
    messageSid,
    status: 'processing',
    history: [{ status: 'processing', at, reasons: ['received'] }],
    createdAt: at,
    updatedAt: at,
  };
}
/** The item as the table holds it, storage attributes included. */
const storedItem = async (messageId: string) =>
  (await db.client.send(new GetCommand({ TableName: db.tables.messages, Key: { messageId } }))).Item;

const plus = (at: string, ms: number): string => new Date(Date.parse(at) + ms).toISOString();

describe('DynamoMessageStore', () => {
  describe('create', () => {
    it('creates once and refuses the same id again', async () => {
      // prepare
      const message = aMessage();

      // act
      const first = await store().create(message);
      const second = await store().create({ ...message, body: 'overwrite?' });

      // assess
      expect([first, second]).toStrictEqual([true, false]);
      expect(await store().get(message.messageId)).toStrictEqual(message);
    });

    it('writes an enrollment of fresh ids, with their first entries, in one call per 25 puts', async () => {
      // prepare: 23 texts and their `scheduled` entries are 46 puts
      const dueAt = '2027-01-04T15:00:00.000Z';
      const steps = Array.from({ length: 23 }, (_, step) =>
        aMessage({
          kind: 'drip',
          purpose: 'automated',
          status: 'scheduled',
          step,
          dueAt,
          history: [{ status: 'scheduled', at: '2026-11-23T10:00:00.000Z' }],
        }),
      );
      const trips = countRoundTrips(db.client);

      // act
      await store().createFresh(steps);

      // assess
      expect(trips.count()).toBeLessThanOrEqual(Math.ceil((2 * steps.length) / 25));
      for (const step of steps) expect(await store().get(step.messageId)).toStrictEqual(step);
    });
  });

  describe('transition', () => {
    it('moves the status, appends the change and sets the extra fields', async () => {
      // prepare
      const message = aMessage();
      await store().create(message);
      const sent: StatusChange = { status: 'sent', at: '2026-11-23T10:00:06.000Z', twilioSid: 'SMabc' };

      // act
      await store().transition(message.messageId, ['queued'], sending);
      const result = await store().transition(message.messageId, ['sending'], sent, { twilioSid: 'SMabc' });

      // assess
      expect(result).toStrictEqual({
        ...message,
        status: 'sent',
        updatedAt: sent.at,
        twilioSid: 'SMabc',
        history: [...message.history, sending, sent],
      });
      expect(await store().findByTwilioSid('SMabc')).toStrictEqual(result);
    });

    it('returns undefined and leaves the history alone from a status not listed', async () => {
      // prepare
      const message = aMessage({ status: 'delivered' });
      await store().create(message);

      // act
      const result = await store().transition(message.messageId, ['queued', 'held'], sending);

      // assess
      expect(result).toBeUndefined();
      expect(await store().get(message.messageId)).toStrictEqual(message);
    });

    it('returns undefined for an unknown message and creates nothing', async () => {
      // act
      const result = await store().transition('msg_nobody', ['queued'], sending);

      // assess
      expect(result).toBeUndefined();
      expect(await store().get('msg_nobody')).toBeUndefined();
    });

    it('lets exactly one of two concurrent queued → sending transitions win', async () => {
      // prepare
      const message = aMessage();
      await store().create(message);

      // act
      const results = await Promise.all([
        store().transition(message.messageId, ['queued'], sending),
        store().transition(message.messageId, ['queued'], { ...sending, at: '2026-11-23T10:00:07.000Z' }),
      ]);

      // assess
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      expect((await store().get(message.messageId))?.history).toHaveLength(2);
    });

    it('derives the index keys and the retention itself, and never hands them back', async () => {
      // prepare
      const step = aMessage({
        kind: 'drip',
        purpose: 'automated',
        status: 'scheduled',
        dueAt: '2036-11-23T17:00:00.000Z',
      });

      // act
      await store().create(step);

      // assess
      expect(await storedItem(step.messageId)).toMatchObject({
        dueShard: dueShard(new Date(step.dueAt!), step.messageId),
        // Kept 5 years from the day it is due, not from the day it was planned (RULES §6).
        expiresAt: retentionExpiry(new Date(step.dueAt!)),
      });
      expect(await store().get(step.messageId)).toStrictEqual(step);
      const listed = await store().listByContact(step.agentId, step.phone);
      expect(listed.find((text) => text.messageId === step.messageId)).toStrictEqual(step);
    });

    it('keeps a text 5 years from its creation', async () => {
      // prepare
      const message = aMessage();

      // act
      await store().create(message);

      // assess
      expect((await storedItem(message.messageId))?.expiresAt).toBe(
        retentionExpiry(new Date(message.createdAt)),
      );
    });
  });

  describe('transition and the lifecycle', () => {
    it('refuses a move the message lifecycle does not allow, writing nothing', async () => {
      // prepare
      const message = aMessage();
      await store().create(message);

      // act
      const move = store().transition(message.messageId, ['queued', 'delivered'], sending);

      // assess
      await expect(move).rejects.toThrow('delivered → sending is not a move of the message lifecycle');
      expect((await store().get(message.messageId))?.status).toBe('queued');
    });
  });

  describe('claimInbound', () => {
    const T0 = '2026-11-23T10:00:00.000Z';

    it('logs a new text in one round trip and refuses a duplicate delivery in one more', async () => {
      // prepare
      const received = aReceivedText(T0);
      const trips = countRoundTrips(db.client);

      // act
      const first = await store().claimInbound(received, LEASE_MS);
      const duplicate = await store().claimInbound({ ...received, updatedAt: plus(T0, 1_000) }, LEASE_MS);

      // assess
      expect(first).toStrictEqual({ messageId: received.messageId, createdAt: T0, recovering: false });
      expect(duplicate).toBeUndefined();
      expect(trips.count()).toBeLessThanOrEqual(2);
      expect(await store().getInbound(received.messageSid)).toMatchObject({
        status: 'processing',
        leaseUntil: plus(T0, LEASE_MS),
      });
    });

    it('takes over a lease that ran out in one write, keeping the first receipt and history', async () => {
      // prepare: a delivery claimed the text and died
      const received = aReceivedText(T0);
      await store().claimInbound(received, LEASE_MS);
      const retry = plus(T0, LEASE_MS + 1);
      const retried = { ...received, createdAt: retry, updatedAt: retry };
      const trips = countRoundTrips(db.client);

      // act
      const claim = await store().claimInbound(retried, LEASE_MS);
      const claimTrips = trips.count();
      await store().finishInbound(claim!, { status: 'handled', at: plus(retry, 500) }, 'twilio');

      // assess
      expect(claim).toMatchObject({ createdAt: T0, recovering: true });
      expect(claimTrips).toBe(1);
      const stored = await store().getInbound(received.messageSid);
      expect(stored).toMatchObject({ status: 'handled', createdAt: T0, repliedBy: 'twilio' });
      expect(stored?.leaseUntil).toBeUndefined();
      expect(stored?.history.map((change) => change.status)).toStrictEqual([
        'processing',
        'processing',
        'handled',
      ]);
    });

    it('takes over an interrupted delivery at once and never a handled one', async () => {
      // prepare
      const [interrupted, handled] = [aReceivedText(T0), aReceivedText(T0)];
      for (const received of [interrupted, handled]) {
        const claim = await store().claimInbound(received, LEASE_MS);
        const status = received === handled ? 'handled' : 'interrupted';
        await store().finishInbound(claim!, { status, at: plus(T0, 100) });
      }
      const soon = plus(T0, 200);
      const later = plus(T0, LEASE_MS * 10);

      // act
      const retaken = await store().claimInbound({ ...interrupted, updatedAt: soon }, LEASE_MS);
      const again = await store().claimInbound({ ...handled, updatedAt: later }, LEASE_MS);

      // assess
      expect(retaken).toMatchObject({ recovering: true, createdAt: T0 });
      expect(again).toBeUndefined();
    });

    it('lets exactly one of concurrent deliveries claim a text, fresh or expired', async () => {
      // prepare
      const fresh = aReceivedText(T0);
      const expired = aReceivedText(T0);
      await store().claimInbound(expired, LEASE_MS);
      const retry = { ...expired, updatedAt: plus(T0, LEASE_MS + 1) };

      // act
      const freshClaims = await Promise.all(
        Array.from({ length: 5 }, () => store().claimInbound(fresh, LEASE_MS)),
      );
      const takeovers = await Promise.all(
        Array.from({ length: 5 }, () => store().claimInbound(retry, LEASE_MS)),
      );

      // assess
      expect(freshClaims.filter(Boolean)).toHaveLength(1);
      expect(takeovers.filter(Boolean)).toHaveLength(1);
    });

    it('keeps a received text out of the send path: get finds only texts ConsentLine sends', async () => {
      // prepare
      const received = aReceivedText(T0);
      await store().claimInbound(received, LEASE_MS);

      // act
      const asMessage = await store().get(received.messageId);

      // assess
      expect(asMessage).toBeUndefined();
      expect(await store().getInbound(received.messageSid)).toMatchObject({ kind: 'inbound' });
    });
  });

  describe('listByContact', () => {
    it("returns the contact's messages oldest first and nobody else's", async () => {
      // prepare
      const phone = '+14155554002';
      const late = aMessage({ phone, createdAt: '2026-11-23T12:00:00.000Z' });
      const early = aMessage({ phone, createdAt: '2026-11-23T08:00:00.000Z' });
      const otherAgent = aMessage({ phone, agentId: 'agt_2' });
      for (const message of [late, early, otherAgent]) await store().create(message);

      // act
      const listed = await store().listByContact('agt_1', phone);

      // assess
      expect(listed.map((message) => message.messageId)).toStrictEqual([early.messageId, late.messageId]);
    });
  });

  it("lists a contact's 23 texts by status alone in one Query and one BatchGetItem", async () => {
    // prepare
    const phone = '+14155554005';
    const texts = Array.from({ length: 23 }, (_, step) =>
      aMessage({ phone, status: 'scheduled', dueAt: plus('2027-01-01T10:00:00.000Z', step), step }),
    );
    await store().createFresh(texts);
    const trips = countRoundTrips(db.client);

    // act
    const listed = await store().listByContact('agt_1', phone, { history: false });

    // assess
    expect(trips.count()).toBe(2);
    expect(new Set(listed.map((text) => text.messageId))).toStrictEqual(
      new Set(texts.map((text) => text.messageId)),
    );
    expect(listed.every((text) => text.status === 'scheduled')).toBe(true);
  });

  describe('lastInboundAt', () => {
    it("finds the contact's latest text to the agent in two round trips, whatever the agent sent it", async () => {
      // prepare
      const phone = '+14155554003';
      const texts = (at: string, agentId = 'agt_1') => ({ ...aReceivedText(at), phone, agentId });
      await store().claimInbound(texts('2026-11-20T09:00:00.000Z'), LEASE_MS);
      await store().claimInbound(texts('2026-11-22T09:00:00.000Z'), LEASE_MS);
      await store().claimInbound(texts('2026-11-24T09:00:00.000Z', 'agt_2'), LEASE_MS);
      for (let step = 0; step < 22; step++)
        await store().create(aMessage({ phone, createdAt: plus('2026-11-25T00:00:00.000Z', step) }));
      const trips = countRoundTrips(db.client);

      // act
      const latest = await store().lastInboundAt('agt_1', phone);
      const none = await store().lastInboundAt('agt_3', phone);

      // assess
      expect(latest).toBe('2026-11-22T09:00:00.000Z');
      expect(none).toBeUndefined();
      expect(trips.count()).toBe(4);
    });

    it('answers undefined after one Query for a phone that never wrote', async () => {
      // prepare
      const phone = '+14155554004';
      await store().create(aMessage({ phone }));
      const trips = countRoundTrips(db.client);

      // act
      const latest = await store().lastInboundAt('agt_1', phone);

      // assess
      expect(latest).toBeUndefined();
      expect(trips.count()).toBe(1);
    });
  });

  describe('listByAgent', () => {
    it('pages through every message created in [from, to) exactly once, oldest first', async () => {
      // prepare
      const agentId = 'agt_pages';
      const inRange = Array.from({ length: 23 }, (_, i) =>
        aMessage({ agentId, createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() }),
      );
      const atTo = aMessage({ agentId, createdAt: '2026-11-02T00:00:00.000Z' });
      const before = aMessage({ agentId, createdAt: '2026-10-31T23:59:59.999Z' });
      for (const message of [...inRange, atTo, before]) await store().create(message);

      // act
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store(5).listByAgent(
          agentId,
          { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' },
          cursor,
        );
        seen.push(...page.items.map((message) => message.messageId));
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== undefined);

      // assess
      expect(seen).toStrictEqual(inRange.map((message) => message.messageId));
      expect(pages).toBeGreaterThan(4);
    });

    it("refuses a cursor of another agent's listing", async () => {
      // prepare
      for (let i = 0; i < 3; i++) await store().create(aMessage({ agentId: 'agt_owner' }));
      const page = await store(1).listByAgent('agt_owner', { from: '2026-01-01', to: '2027-01-01' });

      // act
      const attempt = store(1).listByAgent(
        'agt_intruder',
        { from: '2026-01-01', to: '2027-01-01' },
        page.cursor,
      );

      // assess
      expect(page.cursor).toBeDefined();
      await expect(attempt).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('listDue', () => {
    const day = '2026-11-23';
    const due = (dueAt: string): MessageRecord =>
      aMessage({ kind: 'drip', purpose: 'automated', status: 'scheduled', dueAt });

    it('returns the steps of the day due by the given time from every shard, earliest first', async () => {
      // prepare: enough steps that every shard of the day holds some
      const steps = Array.from({ length: 6 * DUE_SHARDS }, (_, i) =>
        due(`${day}T09:${String(i % 60).padStart(2, '0')}:00.000Z`),
      );
      const notYet = due(`${day}T10:30:00.000Z`);
      const nextDay = due('2026-11-24T08:00:00.000Z');
      for (const message of [...steps, notYet, nextDay]) await store().create(message);

      // act
      const listed = await store().listDue(day, `${day}T10:00:00.000Z`);

      // assess
      expect(new Set(steps.map((step) => dueShard(new Date(step.dueAt!), step.messageId))).size).toBe(
        DUE_SHARDS,
      );
      expect(listed.map((message) => message.messageId).sort()).toStrictEqual(
        steps.map((step) => step.messageId).sort(),
      );
      expect(listed.map((message) => message.dueAt)).toStrictEqual(
        listed.map((message) => message.dueAt).sort(),
      );
      expect(listed.every((message) => !('dueShard' in message) && !('expiresAt' in message))).toBe(true);
    });

    it('leaves out a step once it leaves scheduled, and returnDue puts it back', async () => {
      // prepare: a day of its own
      const day = '2026-11-25';
      const step = due(`${day}T09:00:00.000Z`);
      await store().create(step);
      const until = `${day}T23:00:00.000Z`;

      // act
      const claimed = await store().transition(step.messageId, ['scheduled'], {
        status: 'queued',
        at: `${day}T09:00:01.000Z`,
      });
      const whileQueued = await store().listDue(day, until);
      const returned = await store().returnDue(step, { status: 'scheduled', at: `${day}T09:00:02.000Z` });
      const afterReturn = await store().listDue(day, until);

      // assess
      expect(claimed?.status).toBe('queued');
      expect(whileQueued).toStrictEqual([]);
      expect(returned?.status).toBe('scheduled');
      expect(afterReturn.map((message) => message.messageId)).toStrictEqual([step.messageId]);
    });

    it('refuses a move back into scheduled that does not name the due instant', async () => {
      // prepare
      const day = '2026-11-26';
      const step = due(`${day}T09:00:00.000Z`);
      await store().create(step);
      await store().transition(step.messageId, ['scheduled'], {
        status: 'queued',
        at: `${day}T09:00:01.000Z`,
      });

      // act
      const attempt = store().transition(step.messageId, ['queued'], {
        status: 'scheduled',
        at: `${day}T09:00:02.000Z`,
      });

      // assess
      await expect(attempt).rejects.toThrow('returnDue');
      expect((await store().get(step.messageId))?.status).toBe('queued');
    });
  });

  describe('transition changes', () => {
    it('writes only the fields a move may change, whatever else the object carries', async () => {
      // prepare
      const message = aMessage();
      await store().create(message);
      const before = await storedItem(message.messageId);
      const smuggled = { errorCode: '30003', expiresAt: 1, agentId: 'agt_2', phone: '+19995550000' };

      // act
      const moved = await store().transition(
        message.messageId,
        ['queued'],
        { status: 'failed', at: '2026-11-23T10:00:09.000Z' },
        smuggled,
      );

      // assess
      const after = await storedItem(message.messageId);
      expect(moved?.errorCode).toBe('30003');
      expect(after).toMatchObject({
        expiresAt: before?.expiresAt,
        agentId: before?.agentId,
        phone: message.phone,
      });
    });
  });
});
