import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoBlackoutStore } from '../../../../lambdas/adapters/dynamo/blackout-store';
import { ConflictError, type BlackoutRecord } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();

const record = (blackoutId: string, start: string, end: string): BlackoutRecord => ({
  blackoutId,
  states: ['LA', 'MS'],
  start,
  end,
  reason: 'Hurricane: state of emergency',
  createdAt: '2026-08-28T12:00:00.000Z',
  createdBy: 'admin',
});

describe('DynamoBlackoutStore', () => {
  it('stores each declaration once and lists those whose declared end is after an instant', async () => {
    // prepare
    const store = new DynamoBlackoutStore({ client: db.client, tables: db.tables });
    const past = record('blk_past', '2026-08-01T00:00:00.000Z', '2026-08-10T00:00:00.000Z');
    const current = record('blk_now', '2026-08-29T00:00:00.000Z', '2026-09-05T23:00:00.000Z');

    // act
    await store.declare(past);
    await store.declare(current);
    const twice = store.declare({ ...current, reason: 'rewritten' });

    // assess
    await expect(twice).rejects.toBeInstanceOf(ConflictError);
    expect(await store.list()).toStrictEqual([past, current]);
    expect(await store.list('2026-08-30T00:00:00.000Z')).toStrictEqual([current]);
    expect(await store.list('2026-09-06T00:00:00.000Z')).toStrictEqual([]);
  });

  it('records an early end once, next to a stored declaration only', async () => {
    // prepare
    const store = new DynamoBlackoutStore({ client: db.client, tables: db.tables });
    const declared = record('blk_ends', '2026-10-01T00:00:00.000Z', '2026-10-20T00:00:00.000Z');
    const never = record('blk_never', '2026-10-01T00:00:00.000Z', '2026-10-20T00:00:00.000Z');
    await store.declare(declared);
    const end = {
      blackoutId: 'blk_ends',
      endedAt: '2026-10-05T00:00:00.000Z',
      reason: 'lifted',
      endedBy: 'Ops',
    };

    // act
    const first = await store.end(declared, end);
    const second = await store.end(declared, { ...end, reason: 'again' });
    const unknown = await store.end(never, { ...end, blackoutId: 'blk_never' });

    // assess
    expect([first, second, unknown]).toStrictEqual([true, false, false]);
    const listed = (await store.list('2026-10-01T00:00:00.000Z')).find(
      (item) => item.blackoutId === 'blk_ends',
    );
    expect(listed).toStrictEqual({ ...declared, ended: end });
    expect((await store.list()).some((item) => item.blackoutId === 'blk_never')).toBe(false);
  });

  it('moves the blackouts version with every declaration and early end, keeping the latest declared end', async () => {
    // prepare
    const store = new DynamoBlackoutStore({ client: db.client, tables: db.tables });
    const version = async () =>
      (
        await db.client.send(
          new GetCommand({ TableName: db.tables.counters, Key: { key: 'blackouts' }, ConsistentRead: true }),
        )
      ).Item as { version: number; latestEnd: string } | undefined;
    const before = (await version())?.version ?? 0;
    const long = record('blk_long', '2026-11-01T00:00:00.000Z', '2036-11-30T00:00:00.000Z');
    const short = record('blk_short', '2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z');

    // act
    await store.declare(long);
    await store.declare(short);
    await store.declare(short).catch(() => undefined);
    await Promise.all([
      store.declare(record('blk_a', '2026-11-01T00:00:00.000Z', '2026-11-03T00:00:00.000Z')),
      store.declare(record('blk_b', '2026-11-01T00:00:00.000Z', '2026-11-04T00:00:00.000Z')),
    ]);
    await store.end(short, {
      blackoutId: 'blk_short',
      endedAt: '2026-11-01T06:00:00.000Z',
      reason: 'lifted',
      endedBy: 'Ops',
    });

    // assess: five writes, the refused one not among them, and the end of the longest one
    expect(await version()).toMatchObject({ version: before + 5, latestEnd: '2036-11-30T00:00:00.000Z' });
  });
});
