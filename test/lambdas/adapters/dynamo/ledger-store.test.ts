import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countRoundTrips } from '../../../../lambdas/adapters/dynamo';
import { chainHash } from '../../../../lambdas/adapters/dynamo/ledger-hash';
import { DynamoLedgerStore } from '../../../../lambdas/adapters/dynamo/ledger-store';
import { DynamoOptOutStore } from '../../../../lambdas/adapters/dynamo/optout-store';
import { ledgerEntry } from '../../../../lambdas/adapters/dynamo/phone-items';
import type { LedgerEventDraft, OptOutDraft } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const ledger = (options: { newOptOutId?: () => string } = {}): DynamoLedgerStore =>
  new DynamoLedgerStore({ client: db.client, tables: db.tables, ...options });
const optOuts = (): DynamoOptOutStore => new DynamoOptOutStore({ client: db.client, tables: db.tables });

const RECORDED_AT = '2026-11-23T10:00:00.000Z';
let phones = 0;
/** A phone no other test of this file uses, so every test has its own chain. */
const freshPhone = (): string => `+1415555${String(2000 + ++phones)}`;

/** Edits an event's evidence in place, around the store, as a tamperer with table access would. */
async function forgeEvidence(phone: string, agentId: string, seq: number): Promise<void> {
  await db.client.send(
    new UpdateCommand({
      TableName: db.tables.ledger,
      Key: { phone, entry: ledgerEntry(agentId, seq) },
      UpdateExpression: 'SET evidence = :forged',
      ExpressionAttributeValues: { ':forged': 'forged consent' },
    }),
  );
}

function draft(phone: string, overrides: Partial<LedgerEventDraft> = {}): LedgerEventDraft {
  return {
    agentId: 'agt_1',
    phone,
    channel: 'sms',
    type: 'express_written',
    at: '2026-11-20T15:00:00.000Z',
    method: 'text_reply',
    evidence: 'YES',
    capturedBy: 'agt_1',
    ...overrides,
  };
}

describe('DynamoLedgerStore', () => {
  describe('append', () => {
    it('links each event to the previous one and verifies', async () => {
      // prepare
      const phone = freshPhone();

      // act
      const first = await ledger().append(draft(phone), RECORDED_AT);
      const second = await ledger().append(
        draft(phone, { type: 'ebr_inquiry', method: 'web_form' }),
        RECORDED_AT,
      );
      const third = await ledger().append(draft(phone, { type: 'revocation', method: 'call' }), RECORDED_AT);

      // assess
      expect([first.seq, second.seq, third.seq]).toStrictEqual([1, 2, 3]);
      expect(first.prevHash).toBe('0'.repeat(64));
      expect(second.prevHash).toBe(first.hash);
      expect(third.prevHash).toBe(second.hash);
      expect(third.hash).toBe(chainHash(second.hash, third));
      expect(await ledger().list('agt_1', phone)).toStrictEqual([first, second, third]);
      expect(await ledger().verify('agt_1', phone)).toStrictEqual({
        chainId: `agt_1#${phone}`,
        events: 3,
        ok: true,
      });
    });

    it('appendUnlessRecorded adds to a new chain in two round trips and never the same evidence twice', async () => {
      // prepare
      const phone = freshPhone();
      const same = (record: { evidence?: string }) => record.evidence === 'signed form';
      const trips = countRoundTrips(db.client);

      // act
      const first = await ledger().appendUnlessRecorded(
        draft(phone, { evidence: 'signed form' }),
        RECORDED_AT,
        same,
      );
      const newChainTrips = trips.count();
      const again = await Promise.all(
        Array.from({ length: 5 }, () =>
          ledger().appendUnlessRecorded(draft(phone, { evidence: 'signed form' }), RECORDED_AT, same),
        ),
      );
      const other = await ledger().appendUnlessRecorded(
        draft(phone, { evidence: 'web form' }),
        RECORDED_AT,
        same,
      );

      // assess
      expect(newChainTrips).toBe(2);
      expect(first?.seq).toBe(1);
      expect(again).toStrictEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(other).toBeUndefined();
      expect((await ledger().list('agt_1', phone)).map((record) => record.evidence)).toStrictEqual([
        'signed form',
      ]);
    });

    it('appendUnlessRecorded lets exactly one of concurrent first imports of the same evidence in', async () => {
      // prepare
      const phone = freshPhone();
      const same = (record: { evidence?: string }) => record.evidence === 'signed form';

      // act
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          ledger().appendUnlessRecorded(draft(phone, { evidence: 'signed form' }), RECORDED_AT, same),
        ),
      );

      // assess
      expect(results.filter((record) => record !== undefined)).toHaveLength(1);
      expect(await ledger().list('agt_1', phone)).toHaveLength(1);
      expect((await ledger().verify('agt_1', phone)).ok).toBe(true);
    });

    it('lands 20 concurrent appends as seq 1..20 with an unbroken chain', async () => {
      // prepare
      const phone = freshPhone();
      const drafts = Array.from({ length: 20 }, (_, i) => draft(phone, { evidence: `reply ${i}` }));

      // act
      const appended = await Promise.all(drafts.map((d) => ledger().append(d, RECORDED_AT)));

      // assess
      const stored = await ledger().list('agt_1', phone);
      expect(stored.map((event) => event.seq)).toStrictEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(stored.map((event) => event.evidence)).size).toBe(20);
      expect(new Set(appended.map((event) => event.id))).toStrictEqual(
        new Set(stored.map((event) => event.id)),
      );
      expect(await ledger().verify('agt_1', phone)).toMatchObject({ events: 20, ok: true });
    });
  });

  describe('verify', () => {
    it('reports the seq whose evidence was edited in place', async () => {
      // prepare
      const phone = freshPhone();
      for (const evidence of ['signed form', 'YES', 'call notes']) {
        await ledger().append(draft(phone, { evidence }), RECORDED_AT);
      }
      await forgeEvidence(phone, 'agt_1', 2);

      // act
      const result = await ledger().verify('agt_1', phone);

      // assess
      expect(result.ok).toBe(false);
      expect(result.firstBroken?.seq).toBe(2);
      expect(result.firstBroken?.problem).toMatch(/hash/);
    });

    it('reports the next seq when an edited event was re-hashed to hide the edit', async () => {
      // prepare
      const phone = freshPhone();
      for (const evidence of ['one', 'two', 'three'])
        await ledger().append(draft(phone, { evidence }), RECORDED_AT);
      const [, second] = await ledger().list('agt_1', phone);
      const forged = { ...second!, evidence: 'forged' };
      await db.client.send(
        new PutCommand({
          TableName: db.tables.ledger,
          Item: { ...forged, entry: ledgerEntry('agt_1', 2), hash: chainHash(forged.prevHash, forged) },
        }),
      );

      // act
      const result = await ledger().verify('agt_1', phone);

      // assess
      expect(result.firstBroken).toMatchObject({ seq: 3, problem: expect.stringMatching(/prevHash/) });
    });

    it('reports a deleted event as a missing seq', async () => {
      // prepare
      const phone = freshPhone();
      for (const evidence of ['one', 'two', 'three'])
        await ledger().append(draft(phone, { evidence }), RECORDED_AT);

      // act
      await db.client.send(
        new DeleteCommand({ TableName: db.tables.ledger, Key: { phone, entry: ledgerEntry('agt_1', 3) } }),
      );
      const result = await ledger().verify('agt_1', phone);

      // assess
      expect(result).toMatchObject({ ok: false, events: 2, firstBroken: { seq: 3 } });
    });

    it('verifyPhone checks every chain of the phone, the opt-outs last, as verify does, in one round trip', async () => {
      // prepare
      const phone = freshPhone();
      await ledger().append(draft(phone, { agentId: 'agt_2' }), RECORDED_AT);
      for (const evidence of ['one', 'two']) await ledger().append(draft(phone, { evidence }), RECORDED_AT);
      await ledger().appendOptOut(
        draft(phone, { type: 'revocation', evidence: 'STOP' }),
        { phone, at: RECORDED_AT, source: 'keyword', words: 'STOP', agentId: 'agt_1', messageSid: 'SM1' },
        RECORDED_AT,
      );
      await forgeEvidence(phone, 'agt_2', 1);
      const trips = countRoundTrips(db.client);

      // act
      const { records, chains } = await ledger().verifyPhone(phone);

      // assess
      expect(trips.count()).toBe(1);
      expect(chains).toStrictEqual([
        await ledger().verify('agt_1', phone),
        await ledger().verify('agt_2', phone),
        await optOuts().verify(phone),
      ]);
      expect(chains.map((chain) => [chain.chainId, chain.events, chain.ok])).toStrictEqual([
        [`agt_1#${phone}`, 3, true],
        [`agt_2#${phone}`, 1, false],
        [`optouts#${phone}`, 1, true],
      ]);
      expect(records).toStrictEqual(await ledger().readPhone(phone));
    });
  });

  describe('appendOptOut', () => {
    const optOut = (phone: string, at: string): OptOutDraft => ({
      phone,
      at,
      source: 'keyword',
      words: 'STOP',
      agentId: 'agt_1',
      messageSid: 'SM123',
    });

    it('writes the revocation and the global opt-out together', async () => {
      // prepare
      const phone = freshPhone();
      await ledger().append(draft(phone), RECORDED_AT);

      // act
      const result = await ledger().appendOptOut(
        draft(phone, { type: 'revocation', method: 'text_reply', evidence: 'STOP' }),
        optOut(phone, '2026-11-23T09:59:00.000Z'),
        RECORDED_AT,
      );

      // assess
      expect(result.revocation).toMatchObject({ seq: 2, type: 'revocation' });
      expect(await ledger().list('agt_1', phone)).toHaveLength(2);
      expect(await optOuts().list(phone)).toStrictEqual([result.optOut]);
      expect(await ledger().verify('agt_1', phone)).toMatchObject({ ok: true, events: 2 });
    });

    it("moves the phone's derived state with both records, in the same transaction", async () => {
      // prepare
      const phone = freshPhone();
      const consent = await ledger().append(draft(phone), RECORDED_AT);
      expect((await ledger().readPhone(phone)).state).toMatchObject({
        version: 1,
        chains: { agt_1: { seq: 1, hash: consent.hash } },
      });

      // act
      const { revocation, optOut: stored } = await ledger().appendOptOut(
        draft(phone, { type: 'revocation', evidence: 'STOP' }),
        optOut(phone, '2026-11-23T09:59:00.000Z'),
        RECORDED_AT,
      );

      // assess
      const { state, ledger: events, optOuts: recorded } = await ledger().readPhone(phone);
      expect(events).toHaveLength(2);
      expect(recorded).toStrictEqual([stored]);
      expect(state).toStrictEqual({
        phone,
        version: 3,
        chains: { agt_1: { seq: 2, hash: revocation.hash } },
        optOuts: { seq: 1, hash: stored.hash },
        lastOptOutAt: '2026-11-23T09:59:00.000Z',
      });
    });
  });

  describe('listByPhone', () => {
    it("returns every agent's events for the phone", async () => {
      // prepare
      const phone = freshPhone();
      await ledger().append(draft(phone, { agentId: 'agt_a' }), '2026-11-23T10:00:00.000Z');
      await ledger().append(draft(phone, { agentId: 'agt_b' }), '2026-11-23T11:00:00.000Z');
      await ledger().append(draft(freshPhone(), { agentId: 'agt_a' }), RECORDED_AT);

      // act
      const events = await ledger().listByPhone(phone);

      // assess
      expect(events.map((event) => event.chainId)).toStrictEqual([`agt_a#${phone}`, `agt_b#${phone}`]);
    });
  });
});
