import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from './tables';

/** What every DynamoDB store is built from: an injected document client and the physical table names. */
export type DynamoStoreOptions = { client: DynamoDBDocumentClient; tables: TableNames };

/**
 * The document client every DynamoDB adapter uses. Optional fields of a record are left out of
 * the stored item instead of failing the marshaller (`removeUndefinedValues`), so "not set" and
 * "absent" are the same thing in every table.
 *
 * Note: the document client shares `client`'s middleware stack and configuration.
 *
 * @example
 * const client = documentClient(new DynamoDBClient({}));
 */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}
