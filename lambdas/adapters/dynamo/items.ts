import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, isConditionFailure } from './conditions';
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

/** One action of a TransactWriteItems. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Sends a TransactWriteItems whose actions carry conditions: undefined when it was written, else
 * why each action failed, in request order (see {@link cancellationCodes}), when at least one
 * condition refused it (nothing written). A cancellation by a conflicting transaction on one of
 * its items is tried again up to `conflictTries` times in all (1: not again), after a short
 * jittered pause; any other failure is thrown.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
 */
export async function transactIf(
  client: DynamoDBDocumentClient,
  items: TransactItem[],
  conflictTries = 1,
): Promise<string[] | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.includes('ConditionalCheckFailed')) return codes;
      if (!codes?.includes('TransactionConflict') || attempt >= conflictTries) throw error;
      await sleep(Math.random() * 5 * 2 ** attempt);
    }
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

  /** One conditional UpdateItem of this store's table: true when written, false when its condition refused it. */
  protected updateIf(update: Omit<UpdateCommandInput, 'TableName'>): Promise<boolean> {
    return writeIf(() => this.client.send(new UpdateCommand({ TableName: this.table, ...update })));
  }

  /** One conditional PutItem of this store's table: true when written, false when its condition refused it. */
  protected putIf(put: Omit<PutCommandInput, 'TableName'>): Promise<boolean> {
    return writeIf(() => this.client.send(new PutCommand({ TableName: this.table, ...put })));
  }

  /**
   * A transaction's Put of `item` into this store's table that only creates: refused when an item
   * with its key exists (`keyAttribute` names the key's partition or sort attribute).
   */
  protected putNew(item: Record<string, unknown>, keyAttribute: string): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: item,
        ConditionExpression: `attribute_not_exists(${keyAttribute})`,
      },
    };
  }

  /** One TransactWriteItems; see {@link transactIf}. */
  protected transactIf(items: TransactItem[], conflictTries = 1): Promise<string[] | undefined> {
    return transactIf(this.client, items, conflictTries);
  }
}
