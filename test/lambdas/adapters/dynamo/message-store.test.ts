import { DynamoMessageStore, InvalidCursorError } from '../../../../lambdas/adapters/dynamo/message-store';
import type { MessageRecord, StatusChange } from '../../../../lambdas/ports';
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
    agentPhone: `${agentId}#${phone}`,
    kind: 'manual',
    purpose: 'manual',
    body: 'Hi, it is Dana',
    status: 'queued',
    history: [{ status: 'queued', at: createdAt }],
    createdAt,
    updatedAt: createdAt,
    expiresAt: 1_958_000_000,
    ...overrides,
  };
}

const sending: StatusChange = { status: 'sending', at: '2026-11-23T10:00:05.000Z' };

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

    it('removes the fields given as undefined, taking the step out of the due index', async () => {
      // prepare
      const step = aMessage({
        kind: 'drip',
        purpose: 'automated',
        status: 'scheduled',
        dueShard: 'due#7',
        dueAt: '2026-11-23T09:00:00.000Z',
      });
      await store().create(step);

      // act
      const result = await store().transition(
        step.messageId,
        ['scheduled'],
        { status: 'queued', at: '2026-11-23T09:00:01.000Z' },
        {
          dueShard: undefined,
          dueAt: undefined,
        },
      );

      // assess
      expect(result).not.toHaveProperty('dueShard');
      expect(result).not.toHaveProperty('dueAt');
      expect(await store().listDue('due#7', '2026-12-31T00:00:00.000Z')).toStrictEqual([]);
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
    it('returns the steps of the shard due by the given time, earliest first', async () => {
      // prepare
      const due = (dueAt: string, dueShard = 'due#1'): MessageRecord =>
        aMessage({ kind: 'drip', purpose: 'automated', status: 'scheduled', dueShard, dueAt });
      const second = due('2026-11-23T09:30:00.000Z');
      const first = due('2026-11-23T09:00:00.000Z');
      const notYet = due('2026-11-23T10:30:00.000Z');
      const otherShard = due('2026-11-23T09:00:00.000Z', 'due#2');
      for (const message of [second, first, notYet, otherShard]) await store().create(message);

      // act
      const listed = await store().listDue('due#1', '2026-11-23T10:00:00.000Z');

      // assess
      expect(listed.map((message) => message.messageId)).toStrictEqual([first.messageId, second.messageId]);
    });
  });
});
