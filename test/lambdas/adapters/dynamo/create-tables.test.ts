import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createTables } from '../../../../lambdas/adapters/dynamo/create-tables';
import { tables } from '../../../../lambdas/adapters/dynamo/tables';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();

describe('createTables', () => {
  it('creates the ledger keyed by phone and entry, with no index and no TTL', async () => {
    // act
    const { Table } = await db.raw.send(new DescribeTableCommand({ TableName: db.tables.ledger }));

    // assess
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toStrictEqual([
      { AttributeName: 'phone', KeyType: 'HASH' },
      { AttributeName: 'entry', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('creates every index of the messages table and enables its TTL', async () => {
    // act
    const { Table } = await db.raw.send(new DescribeTableCommand({ TableName: db.tables.messages }));
    const ttl = await db.raw.send(new DescribeTimeToLiveCommand({ TableName: db.tables.messages }));

    // assess
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toStrictEqual(
      tables.messages.indexes.map((index) => index.indexName).sort(),
    );
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
  });

  it('succeeds again on tables that exist', async () => {
    // act
    const again = createTables(db.raw, db.tables);

    // assess
    await expect(again).resolves.toBeUndefined();
  });
});
