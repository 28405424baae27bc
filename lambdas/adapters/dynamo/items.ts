import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import type { TableName } from './tables';

/** One strongly consistent GetItem: the item stored under `key`, if any. */
export async function getItem<T>(
  client: DynamoDBDocumentClient,
  table: string,
  key: Record<string, unknown>,
): Promise<T | undefined> {
  const { Item } = await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item as T | undefined;
}

/**
 * Sends a conditional write: true when it was written, false when its condition refused it
 * (nothing written); any other failure is thrown.
 */
export async function writeIf(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A store kept in one table: the injected document client and that table's physical name. */
export abstract class DynamoTableStore {
  protected readonly client: DynamoDBDocumentClient;
  protected readonly table: string;

  protected constructor(options: DynamoStoreOptions, table: TableName) {
    this.client = options.client;
    this.table = options.tables[table];
  }

  /** One strongly consistent GetItem of this store's table. */
  protected consistentGet<T>(key: Record<string, unknown>): Promise<T | undefined> {
    return getItem<T>(this.client, this.table, key);
  }
}
