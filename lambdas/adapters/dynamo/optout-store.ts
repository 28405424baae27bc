import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, type OptOutDraft, type OptOutRecord, type OptOutStore } from '../../ports';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { queryAll } from './query-all';

export type OptOutStoreOptions = DynamoStoreOptions & {
  /** Id of a new record; random by default. */
  newId?: () => string;
};

export const newOptOutId = (): string => `opt_${randomUUID()}`;

/** The stored form of an opt-out: sorted by time within the phone, then by id. */
export function optOutRecord(draft: OptOutDraft, id: string, recordedAt: string): OptOutRecord {
  return { ...draft, id, sk: `${draft.at}#${id}`, recordedAt };
}

/** The conditional Put of an opt-out; also one action of the ledger's opt-out transaction. */
export function putOptOut(table: string, record: OptOutRecord) {
  return {
    TableName: table,
    Item: record,
    // Records are never overwritten (RULES §6).
    ConditionExpression: 'attribute_not_exists(sk)',
  };
}

/** Global opt-outs in DynamoDB: append-only, one partition per phone. */
export class DynamoOptOutStore implements OptOutStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly newId: () => string;

  constructor(options: OptOutStoreOptions) {
    this.client = options.client;
    this.table = options.tables.optouts;
    this.newId = options.newId ?? newOptOutId;
  }

  /** One conditional PutItem; `ConflictError` if a record with the same key exists. */
  async record(draft: OptOutDraft, recordedAt: string): Promise<OptOutRecord> {
    const record = optOutRecord(draft, this.newId(), recordedAt);
    try {
      await this.client.send(new PutCommand(putOptOut(this.table, record)));
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(`opt-out ${record.sk} for ${draft.phone} exists`);
      throw error;
    }
    return record;
  }

  /** Every opt-out of the phone, oldest first: one Query per 1 MB page. */
  async list(phone: string): Promise<OptOutRecord[]> {
    return queryAll<OptOutRecord>(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'phone = :phone',
      ExpressionAttributeValues: { ':phone': phone },
      ConsistentRead: true,
    });
  }
}
