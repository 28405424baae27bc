import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GENESIS_HASH } from '../../../../lambdas/adapters/dynamo/ledger-hash';
import { DynamoLedgerStore } from '../../../../lambdas/adapters/dynamo/ledger-store';
import { DynamoOptOutStore } from '../../../../lambdas/adapters/dynamo/optout-store';
import { optOutEntry } from '../../../../lambdas/adapters/dynamo/phone-items';
import type { OptOutDraft } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();

/** A carrier opt-out (error 21610) at `at`, with `overrides` laid over it. */
const draft = (at: string, overrides: Partial<OptOutDraft> = {}): OptOutDraft => ({
  phone: '+14155553001',
  at,
  source: 'carrier_21610',
  words: '21610',
  ...overrides,
});
const store = (newId?: () => string) =>
  new DynamoOptOutStore({ client: db.client, tables: db.tables, newId });

describe('DynamoOptOutStore', () => {
  it('lists the recorded opt-outs of a phone oldest first', async () => {
    // prepare
    const optOuts = store();

    // act
    const later = await optOuts.record(draft('2026-11-23T12:00:00.000Z'), '2026-11-23T12:00:01.000Z');
    const earlier = await optOuts.record(draft('2026-11-22T12:00:00.000Z'), '2026-11-23T12:00:02.000Z');

    // assess
    expect(earlier.sk).toBe(`2026-11-22T12:00:00.000Z#${earlier.id}`);
    expect(await optOuts.list('+14155553001')).toStrictEqual([earlier, later]);
    expect(await optOuts.list('+14155553999')).toStrictEqual([]);
  });

  it('never overwrites a record: one with the same id and instant lands beside the first', async () => {
    // prepare
    const optOuts = store(() => 'opt_same');
    const first = await optOuts.record(draft('2026-11-23T08:00:00.000Z', { phone: '+14155553002' }), 'r1');

    // act
    const second = await optOuts.record(
      draft('2026-11-23T08:00:00.000Z', { phone: '+14155553002', words: 'x' }),
      'r2',
    );

    // assess
    const stored = await optOuts.list('+14155553002');
    expect(stored).toHaveLength(2);
    expect(stored).toContainEqual(first);
    expect(second.seq).toBe(first.seq + 1);
    expect((await optOuts.verify('+14155553002')).ok).toBe(true);
  });

  describe('the hash chain per phone', () => {
    let phoneSequence = 0;
    const newPhone = () => `+1415555${String(4000 + ++phoneSequence)}`;
    const seed = async (phone: string) => {
      const ledger = new DynamoLedgerStore({ client: db.client, tables: db.tables });
      const first = await store().record(
        draft('2026-11-23T09:00:00.000Z', { phone }),
        '2026-11-23T09:00:01Z',
      );
      const { optOut: second } = await ledger.appendOptOut(
        { agentId: 'agt_1', phone, channel: 'sms', type: 'revocation', at: '2026-11-23T10:00:00.000Z' },
        { phone, at: '2026-11-23T10:00:00.000Z', source: 'keyword', words: 'STOP', agentId: 'agt_1' },
        '2026-11-23T10:00:01Z',
      );
      const third = await store().record(
        draft('2026-11-23T08:00:00.000Z', { phone }),
        '2026-11-23T11:00:01Z',
      );
      return [first, second, third];
    };

    it('links each record to the one before, through the STOP transaction too, and verifies', async () => {
      // prepare
      const phone = newPhone();

      // act
      const [first, second, third] = await seed(phone);
      const verification = await store().verify(phone);

      // assess
      expect([first!.seq, second!.seq, third!.seq]).toEqual([1, 2, 3]);
      expect(first!.prevHash).toBe(GENESIS_HASH);
      expect(second!.prevHash).toBe(first!.hash);
      expect(third!.prevHash).toBe(second!.hash);
      expect(verification).toEqual({ chainId: `optouts#${phone}`, events: 3, ok: true });
    });

    it('serialises concurrent records into one chain', async () => {
      // prepare
      const phone = newPhone();

      // act
      await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          store().record(draft(`2026-11-23T0${index}:00:00.000Z`, { phone }), 'r'),
        ),
      );

      // assess
      expect((await store().list(phone)).map((record) => record.seq).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store().verify(phone)).ok).toBe(true);
    });

    it('reports an edited record', async () => {
      // prepare
      const phone = newPhone();
      const [, second] = await seed(phone);
      await db.client.send(
        new PutCommand({
          TableName: db.tables.ledger,
          Item: { ...second!, entry: optOutEntry(second!.seq), words: 'nothing to see' },
        }),
      );

      // act
      const verification = await store().verify(phone);

      // assess
      expect(verification.ok).toBe(false);
      expect(verification.firstBroken).toMatchObject({
        seq: 2,
        problem: "hash does not match the opt-out's contents",
      });
    });

    it('reports a removed record', async () => {
      // prepare
      const phone = newPhone();
      const [, second] = await seed(phone);
      await db.client.send(
        new DeleteCommand({ TableName: db.tables.ledger, Key: { phone, entry: optOutEntry(second!.seq) } }),
      );

      // act
      const verification = await store().verify(phone);

      // assess
      expect(verification.ok).toBe(false);
      expect(verification.firstBroken?.seq).toBe(2);
    });

    it('reports a removed last record through the head', async () => {
      // prepare
      const phone = newPhone();
      const [, , third] = await seed(phone);
      await db.client.send(
        new DeleteCommand({ TableName: db.tables.ledger, Key: { phone, entry: optOutEntry(third!.seq) } }),
      );

      // act
      const verification = await store().verify(phone);

      // assess
      expect(verification).toMatchObject({ ok: false, firstBroken: { seq: 3 } });
    });
  });
});
