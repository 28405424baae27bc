import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCapStore } from '../../../../lambdas/adapters/dynamo/cap-store';
import { moveState } from '../../../../lambdas/adapters/dynamo/phone-items';
import { recipientKey } from '../../../../lambdas/adapters/dynamo/recipient-item';
import type { PhoneState } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const PHONE = '+14155550123';

const stored = async (): Promise<Record<string, unknown> | undefined> =>
  (
    await db.client.send(
      new GetCommand({
        TableName: db.tables.counters,
        Key: { key: recipientKey(PHONE) },
        ConsistentRead: true,
      }),
    )
  ).Item;

describe('the copy of a phone’s state version on its counters item', () => {
  it('is written with every move of the state, keeps the sends and clears their expiry until the next send', async () => {
    // prepare
    const caps = new DynamoCapStore({ client: db.client, tables: db.tables });
    const send = { at: '2026-12-01T15:00:00.000Z', purpose: 'automated' as const, messageId: 'msg_1' };
    await caps.claimSend(PHONE, send, 0, '2026-11-30T15:00:00.000Z');
    const expiring = await stored();
    const state: PhoneState = { phone: PHONE, version: 1, chains: {} };

    // act
    await db.client.send(new TransactWriteCommand({ TransactItems: moveState(db.tables, state, undefined) }));
    const copied = await stored();
    await db.client.send(
      new TransactWriteCommand({ TransactItems: moveState(db.tables, { ...state, version: 2 }, state) }),
    );
    const moved = await stored();
    await caps.claimSend(PHONE, { ...send, messageId: 'msg_2' }, 1, '2026-11-30T15:00:00.000Z');

    // assess
    expect(expiring?.expiresAt).toEqual(expect.any(Number));
    expect(copied).toMatchObject({ consentVersion: 1, sends: [send], version: 1 });
    expect(copied).not.toHaveProperty('expiresAt');
    expect(moved).toMatchObject({ consentVersion: 2 });
    expect(await stored()).toMatchObject({ consentVersion: 2, version: 2, expiresAt: expiring?.expiresAt });
  });
});
