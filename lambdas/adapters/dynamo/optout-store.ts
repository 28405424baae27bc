import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type ChainVerification,
  type OptOutDraft,
  type OptOutRecord,
  type OptOutStore,
} from '../../ports';
import { cancellationCodes } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { chainHash, GENESIS_HASH } from './ledger-hash';
import { queryAll } from './query-all';

export type OptOutStoreOptions = DynamoStoreOptions & {
  /** Id of a new record; random by default. */
  newId?: () => string;
  /** How many times a record re-reads the head after losing a race; 20 by default. */
  maxAttempts?: number;
};

export const newOptOutId = (): string => `opt_${randomUUID()}`;

/** The chain of one phone's opt-outs; also the id `verify` reports. */
export const optOutChainId = (phone: string): string => `optouts#${phone}`;
const headKey = (phone: string): string => `optchain#${phone}`;

type ChainHead = { seq: number; hash: string };
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const DEFAULT_MAX_ATTEMPTS = 20;
const RETRYABLE = new Set(['ConditionalCheckFailed', 'TransactionConflict', 'ThrottlingError']);

/** The stored form of an opt-out after `head`: sorted by time within the phone, linked by seq. */
export function optOutRecord(
  draft: OptOutDraft,
  id: string,
  recordedAt: string,
  head: ChainHead | undefined,
): OptOutRecord {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const unhashed = { ...draft, id, sk: `${draft.at}#${id}`, recordedAt, seq: (head?.seq ?? 0) + 1, prevHash };
  return { ...unhashed, hash: chainHash(prevHash, unhashed) };
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

/**
 * The two actions that append `draft` to its phone's chain, read against the current head: the
 * record's Put and the head's move in the counters table, conditioned on the head not having
 * moved. Whoever runs them in a transaction retries from here when the head moved.
 */
export async function optOutAppend(
  client: DynamoDBDocumentClient,
  tables: { optouts: string; counters: string },
  draft: OptOutDraft,
  id: string,
  recordedAt: string,
): Promise<{ record: OptOutRecord; items: [TransactItem, TransactItem] }> {
  const head = await readHead(client, tables.counters, draft.phone);
  const record = optOutRecord(draft, id, recordedAt, head);
  return {
    record,
    items: [
      { Put: putOptOut(tables.optouts, record) },
      {
        Put: {
          TableName: tables.counters,
          Item: { key: headKey(draft.phone), headSeq: record.seq, headHash: record.hash },
          ConditionExpression: head === undefined ? 'attribute_not_exists(#key)' : 'headSeq = :seen',
          ExpressionAttributeNames: head === undefined ? { '#key': 'key' } : undefined,
          ExpressionAttributeValues: head === undefined ? undefined : { ':seen': head.seq },
        },
      },
    ],
  };
}

async function readHead(
  client: DynamoDBDocumentClient,
  counters: string,
  phone: string,
): Promise<ChainHead | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: counters, Key: { key: headKey(phone) }, ConsistentRead: true }),
  );
  return Item === undefined ? undefined : { seq: Item.headSeq as number, hash: Item.headHash as string };
}

/**
 * Global opt-outs in DynamoDB: append-only, one partition per phone, hash-chained per phone
 * (head in the counters table, moved in the same transaction as each record), so a removed,
 * edited or reordered opt-out fails `verify` — as the ledger's chains do.
 */
export class DynamoOptOutStore implements OptOutStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tables: { optouts: string; counters: string };
  private readonly newId: () => string;
  private readonly maxAttempts: number;

  constructor(options: OptOutStoreOptions) {
    this.client = options.client;
    this.tables = { optouts: options.tables.optouts, counters: options.tables.counters };
    this.newId = options.newId ?? newOptOutId;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** Uncontended: one GetItem (the head) + one TransactWriteItems; `ConflictError` if the key exists. */
  async record(draft: OptOutDraft, recordedAt: string): Promise<OptOutRecord> {
    const id = this.newId();
    for (let attempt = 1; ; attempt++) {
      const { record, items } = await optOutAppend(this.client, this.tables, draft, id, recordedAt);
      try {
        await this.client.send(
          new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }),
        );
        return record;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (codes[0] === 'ConditionalCheckFailed') {
          throw new ConflictError(`opt-out ${record.sk} for ${draft.phone} exists`);
        }
        if (!codes.some((code) => RETRYABLE.has(code)) || attempt >= this.maxAttempts) throw error;
        await sleep(Math.random() * Math.min(250, 10 * 2 ** attempt));
      }
    }
  }

  /** Every opt-out of the phone, oldest first: one Query per 1 MB page. */
  async list(phone: string): Promise<OptOutRecord[]> {
    return queryAll<OptOutRecord>(this.client, {
      TableName: this.tables.optouts,
      KeyConditionExpression: 'phone = :phone',
      ExpressionAttributeValues: { ':phone': phone },
      ConsistentRead: true,
    });
  }

  /** Head first, then the records in chain order: a missing seq, a bad link or hash, a head that disagrees. */
  async verify(phone: string): Promise<ChainVerification> {
    const chainId = optOutChainId(phone);
    const head = await readHead(this.client, this.tables.counters, phone);
    const records = (await this.list(phone)).sort((a, b) => a.seq - b.seq);
    const report = (seq: number, id: string, problem: string): ChainVerification => ({
      chainId,
      events: records.length,
      ok: false,
      firstBroken: { seq, id, problem },
    });
    let previousHash = GENESIS_HASH;
    for (const [index, record] of records.entries()) {
      const seq = index + 1;
      if (record.seq !== seq)
        return report(seq, record.id, `seq ${seq} is missing: the next is seq ${record.seq}`);
      if (record.prevHash !== previousHash) {
        return report(
          seq,
          record.id,
          `prevHash is not the hash of ${seq === 1 ? 'genesis' : `seq ${seq - 1}`}`,
        );
      }
      if (chainHash(previousHash, record) !== record.hash) {
        return report(seq, record.id, "hash does not match the opt-out's contents");
      }
      previousHash = record.hash;
    }
    const headSeq = head?.seq ?? 0;
    if (headSeq > records.length) {
      return report(
        records.length + 1,
        '',
        `seq ${records.length + 1} is missing: the head is at seq ${headSeq}`,
      );
    }
    if (head !== undefined && records[head.seq - 1]?.hash !== head.hash) {
      return report(
        head.seq,
        records[head.seq - 1]?.id ?? '',
        `the head hash does not match seq ${head.seq}`,
      );
    }
    if (head === undefined && records.length > 0)
      return report(records.length, records.at(-1)!.id, 'the chain head is missing');
    return { chainId, events: records.length, ok: true };
  }
}
