import { startDynamoDbLocal } from '../engines/dynamodb-local';
import { localDynamoClient } from '../engines/aws-clients';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

async function main() {
  const d = await startDynamoDbLocal();
  const c = localDynamoClient(d.endpoint);
  await c.send(new CreateTableCommand({ TableName: 'ttt', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }, ...[1,2,3,4].map((i) => ({ AttributeName: 'g'+i, AttributeType: 'S' as const }))], KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [1,2,3,4].map((i) => ({ IndexName: 'idx'+i, KeySchema: [{ AttributeName: 'g'+i, KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' } })) }));
  await c.send(new CreateTableCommand({ TableName: 'uuu', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }] }));
  for (const table of ['uuu', 'ttt']) for (const C of [1, 8]) {
    const N = 2000; let next = 0; const t = Date.now();
    await Promise.all(Array.from({ length: C }, async () => { while (next < N) { const i = next++; await c.send(new PutItemCommand({ TableName: table, Item: { k: { S: `${table}${C}-${i}` }, g1: { S: `g${i % 50}` }, g2: { S: `h${i % 50}` }, g3: { S: `h${i % 7}` }, g4: { S: `z${i}` }, body: { S: 'x'.repeat(1500) } } })); } }));
    console.log(table, 'C', C, (Date.now() - t) / N, 'ms/put');
  }
  await d.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
