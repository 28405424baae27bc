import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { tableList, type KeyAttribute, type TableDefinition, type TableNames } from './tables';

const TABLE_ACTIVE_WAIT_SECONDS = 60;

/**
 * Creates every ConsentLine table (keys, indexes and TTL from `tables.ts`) under the given
 * physical names and resolves once all are ACTIVE. Idempotent: tables that exist already are
 * left as they are. For the local runtime and tests; deployed tables come from the CDK stack.
 *
 * @example
 * await createTables(client, prefixedTableNames('test-1234-'));
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(tableList.map((table) => createTable(client, table, names[table.logicalName])));
}

async function createTable(client: DynamoDBClient, table: TableDefinition, name: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(table),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        GlobalSecondaryIndexes:
          table.indexes.length === 0
            ? undefined
            : table.indexes.map((index) => ({
                IndexName: index.indexName,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: index.projection ?? 'ALL' },
              })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: TABLE_ACTIVE_WAIT_SECONDS }, { TableName: name });
  if (table.timeToLiveAttribute !== undefined)
    await enableTimeToLive(client, name, table.timeToLiveAttribute);
}

// UpdateTimeToLive fails when TTL is already enabled, so a second run checks first.
async function enableTimeToLive(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey !== undefined) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

/** Every key attribute of the table and its indexes, once each (an attribute may key several). */
function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const byName = new Map<string, AttributeDefinition>();
  for (const key of keys) {
    if (key !== undefined) byName.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  }
  return [...byName.values()];
}
