import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../../../lambdas/adapters/dynamo/tables';
import { freshTables } from '../../../support/dynamo';

export type DynamoFixture = { raw: DynamoDBClient; client: DynamoDBDocumentClient; tables: TableNames };

/**
 * Fresh tables of one test file on the shared DynamoDB Local: call at the top of a describe,
 * read the returned object's fields inside tests (they are filled in beforeAll).
 */
export function useDynamoTables(): DynamoFixture {
  const fixture = {} as DynamoFixture;
  beforeAll(async () => {
    const { client, db, tables } = await freshTables();
    Object.assign(fixture, { raw: client, client: db, tables });
  });
  afterAll(() => {
    fixture.raw?.destroy();
  });
  return fixture;
}
