import { randomBytes } from 'node:crypto';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createTables,
  documentClient,
  prefixedTableNames,
  type TableNames,
} from '../../lambdas/adapters/dynamo';
import { localDynamoClient } from '../../lambdas/local/engines/aws-clients';

/**
 * A random prefix for the table (or queue) names of one test file, so test files running in
 * parallel on the shared engines never see each other's data. Letters, digits and `-` only,
 * valid in both DynamoDB table names and SQS queue names.
 *
 * @example
 * const prefix = uniquePrefix(); // 't-3f9a1c07-'
 * const table = `${prefix}consent-ledger`;
 */
export function uniquePrefix(): string {
  return `t-${randomBytes(4).toString('hex')}-`;
}

/** The DynamoDB Local endpoint the jest globalSetup started. */
export function dynamoEndpoint(): string {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (endpoint === undefined || endpoint === '') {
    throw new Error(
      'DYNAMODB_ENDPOINT is not set: DynamoDB Local is started by test/support/global-setup.ts. ' +
        'Run the tests with `npx jest` (package.json registers the globalSetup).',
    );
  }
  return endpoint;
}

/**
 * Fresh tables of one test file on the DynamoDB Local the jest globalSetup started: the raw
 * client (destroy it in afterAll where the file closes it), the document client and the names.
 */
export async function freshTables(): Promise<{
  client: DynamoDBClient;
  db: DynamoDBDocumentClient;
  tables: TableNames;
}> {
  const client = localDynamoClient(dynamoEndpoint());
  const tables = prefixedTableNames(uniquePrefix());
  await createTables(client, tables);
  return { client, db: documentClient(client), tables };
}

/** Creates an on-demand table keyed by one string `pk`, for tests and benches of the engine itself. */
export async function createKeyTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
}
