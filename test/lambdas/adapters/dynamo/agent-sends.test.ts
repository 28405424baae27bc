import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  agentSendsKey,
  mirrorSuspension,
  releaseDaySlot,
  takeDaySlot,
  unsuspendedCheck,
} from '../../../../lambdas/adapters/dynamo/agent-sends';
import { cancellationCodes } from '../../../../lambdas/adapters/dynamo/conditions';
import { writeIf } from '../../../../lambdas/adapters/dynamo/items';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const CAP = 3;
let agents = 0;
const nextAgent = (): string => `agt_sends_${++agents}`;

const take = (agentId: string, utcDate: string, seenCount: number, unsuspended = true): Promise<boolean> =>
  writeIf(() =>
    db.client.send(
      new UpdateCommand(
        takeDaySlot(db.tables.counters, { agentId, utcDate, cap: CAP, seenCount }, unsuspended),
      ),
    ),
  );
const stored = async (agentId: string): Promise<Record<string, unknown> | undefined> =>
  (
    await db.client.send(
      new GetCommand({
        TableName: db.tables.counters,
        Key: { key: agentSendsKey(agentId) },
        ConsistentRead: true,
      }),
    )
  ).Item;
/** The suspension check of `agentId` in a transaction with a harmless put: whether it passed. */
async function checkPasses(agentId: string): Promise<boolean> {
  try {
    await db.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: unsuspendedCheck(db.tables.counters, agentId) },
          { Put: { TableName: db.tables.counters, Item: { key: `probe#${agentId}#${Math.random()}` } } },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}
const suspend = (agentId: string, suspended: boolean): Promise<unknown> =>
  db.client.send(new UpdateCommand(mirrorSuspension(db.tables.counters, agentId, suspended)));

describe('the agent’s counters item', () => {
  it('counts a day’s slots up to the cap, each taken on the count its taker read', async () => {
    // prepare
    const agentId = nextAgent();

    // act
    const taken = [
      await take(agentId, '2026-12-01', 0),
      await take(agentId, '2026-12-01', 1),
      await take(agentId, '2026-12-01', 2),
      await take(agentId, '2026-12-01', 3),
    ];

    // assess
    expect(taken).toEqual([true, true, true, false]);
    expect(await stored(agentId)).toMatchObject({ day: '2026-12-01', count: CAP });
  });

  it('refuses a taker whose count is stale, in either form', async () => {
    // prepare
    const agentId = nextAgent();
    await take(agentId, '2026-12-01', 0);

    // act
    const asIfFirst = await take(agentId, '2026-12-01', 0);
    const asIfMore = await take(nextAgent(), '2026-12-01', 1);

    // assess
    expect([asIfFirst, asIfMore]).toEqual([false, false]);
    expect(await stored(agentId)).toMatchObject({ day: '2026-12-01', count: 1 });
  });

  it('starts the count again on a new UTC day, and never goes back to an earlier one', async () => {
    // prepare
    const agentId = nextAgent();
    for (let seen = 0; seen < CAP; seen++) await take(agentId, '2026-12-01', seen);

    // act
    const nextDay = await take(agentId, '2026-12-02', 0);
    const late = await take(agentId, '2026-12-01', 0);

    // assess
    expect([nextDay, late]).toEqual([true, false]);
    expect(await stored(agentId)).toMatchObject({ day: '2026-12-02', count: 1 });
  });

  it('gives back a slot of the day it counts, never below zero and never of another day', async () => {
    // prepare
    const agentId = nextAgent();
    await take(agentId, '2026-12-02', 0);
    const release = (utcDate: string): Promise<boolean> =>
      writeIf(() => db.client.send(new UpdateCommand(releaseDaySlot(db.tables.counters, agentId, utcDate))));

    // act
    const results = [await release('2026-12-01'), await release('2026-12-02'), await release('2026-12-02')];

    // assess
    expect(results).toEqual([false, true, false]);
    expect(await stored(agentId)).toMatchObject({ day: '2026-12-02', count: 0 });
    expect(await take(agentId, '2026-12-02', 0)).toBe(true);
  });

  it('refuses every slot and every check while the agent is suspended, and takes them again once resumed', async () => {
    // prepare
    const agentId = nextAgent();
    await take(agentId, '2026-12-01', 0);
    await suspend(agentId, true);
    const check = (): Promise<boolean> => checkPasses(agentId);

    // act
    const whileSuspended = [await take(agentId, '2026-12-01', 1), await check()];
    const exemptFromSuspension = await take(agentId, '2026-12-01', 1, false);
    await suspend(agentId, false);
    const resumed = [await take(agentId, '2026-12-01', 2), await check()];

    // assess
    expect(whileSuspended).toEqual([false, false]);
    expect(exemptFromSuspension).toBe(true);
    expect(resumed).toEqual([true, true]);
  });

  it('passes the suspension check for an agent never suspended (no item yet)', async () => {
    // act
    const passed = await checkPasses(nextAgent());

    // assess
    expect(passed).toBe(true);
  });
});
