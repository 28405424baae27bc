import { DynamoOptOutStore } from '../../../../lambdas/adapters/dynamo/optout-store';
import { ConflictError, type OptOutDraft } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();

const draft = (at: string): OptOutDraft => ({
  phone: '+14155553001',
  at,
  source: 'carrier_21610',
  words: '21610',
});

describe('DynamoOptOutStore', () => {
  it('lists the recorded opt-outs of a phone oldest first', async () => {
    // prepare
    const store = new DynamoOptOutStore({ client: db.client, tables: db.tables });

    // act
    const later = await store.record(draft('2026-11-23T12:00:00.000Z'), '2026-11-23T12:00:01.000Z');
    const earlier = await store.record(draft('2026-11-22T12:00:00.000Z'), '2026-11-23T12:00:02.000Z');

    // assess
    expect(earlier.sk).toBe(`2026-11-22T12:00:00.000Z#${earlier.id}`);
    expect(await store.list('+14155553001')).toStrictEqual([earlier, later]);
    expect(await store.list('+14155553999')).toStrictEqual([]);
  });

  it('never overwrites a record', async () => {
    // prepare
    const store = new DynamoOptOutStore({ client: db.client, tables: db.tables, newId: () => 'opt_same' });
    const first = await store.record({ ...draft('2026-11-23T08:00:00.000Z'), phone: '+14155553002' }, 'r1');

    // act
    const attempt = store.record(
      { ...draft('2026-11-23T08:00:00.000Z'), phone: '+14155553002', words: 'x' },
      'r2',
    );

    // assess
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    expect(await store.list('+14155553002')).toStrictEqual([first]);
  });
});
