import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables } from '../../../../lambdas/adapters/dynamo/create-tables';
import { documentClient } from '../../../../lambdas/adapters/dynamo/document-client';
import { prefixedTableNames, type TableNames } from '../../../../lambdas/adapters/dynamo/tables';
import { localDynamoClient } from '../../../../lambdas/local/engines/aws-clients';
import { dynamoEndpoint, uniquePrefix } from '../../../support/dynamo';

export type DynamoFixture = { raw: DynamoDBClient; client: DynamoDBDocumentClient; tables: TableNames };

/**
 * Fresh tables of one test file on the shared DynamoDB Local: call at the top of a describe,
 * read the returned object's fields inside tests (they are filled in beforeAll).
 */
export function useDynamoTables(): DynamoFixture {
  const fixture = {} as DynamoFixture;
  beforeAll(async () => {
    fixture.raw = localDynamoClient(dynamoEndpoint());
    fixture.tables = prefixedTableNames(uniquePrefix());
    await createTables(fixture.raw, fixture.tables);
    fixture.client = documentClient(fixture.raw);
  });
  afterAll(() => {
    fixture.raw?.destroy();
  });
  return fixture;
}
