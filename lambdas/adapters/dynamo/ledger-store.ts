import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type ChainVerification,
  type LedgerEventDraft,
  type LedgerRecord,
  type LedgerStore,
  type OptOutDraft,
  type OptOutRecord,
} from '../../ports';
import { cancellationCodes } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { chainHash, GENESIS_HASH } from './ledger-hash';
import { newOptOutId, optOutAppend } from './optout-store';
import { queryAll } from './query-all';

export type LedgerStoreOptions = DynamoStoreOptions & {
  /** Id of a new ledger event; random by default. */
  newId?: () => string;
  /** Id of a new opt-out record; random by default. */
  newOptOutId?: () => string;
  /** How many times an append re-reads the head after losing a race; 20 by default. */
  maxAttempts?: number;
};

/** Where a chain ends: the last sequence number and its hash. Kept in the counters table. */
type ChainHead = { seq: number; hash: string };

const DEFAULT_MAX_ATTEMPTS = 20;
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 250;
// Losing a race (the head moved), or DynamoDB refusing to interleave two transactions on the
// same item: both mean "read the head again and retry". Anything else is a real failure.
const RETRYABLE = new Set(['ConditionalCheckFailed', 'TransactionConflict', 'ThrottlingError']);

export const newLedgerEventId = (): string => `evt_${randomUUID()}`;

/** The chain of one (agent, phone): also the ledger's partition key. */
export const chainIdOf = (agentId: string, phone: string): string => `${agentId}#${phone}`;

const headKey = (chainId: string): string => `chain#${chainId}`;

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * The consent ledger in DynamoDB (RULES §1, §6): one hash chain per (agent, phone), items never
 * updated or deleted. Ledger items are immutable, so the chain head (last seq and hash) lives in
 * the counters table and moves in the same transaction as each append, conditioned on the head
 * the appender read: two concurrent appends cannot both take the same seq; the loser re-reads
 * and retries.
 */
export class DynamoLedgerStore implements LedgerStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly ledgerTable: string;
  private readonly countersTable: string;
  private readonly optOutsTable: string;
  private readonly newId: () => string;
  private readonly newOptOutId: () => string;
  private readonly maxAttempts: number;

  constructor(options: LedgerStoreOptions) {
    this.client = options.client;
    this.ledgerTable = options.tables.ledger;
    this.countersTable = options.tables.counters;
    this.optOutsTable = options.tables.optouts;
    this.newId = options.newId ?? newLedgerEventId;
    this.newOptOutId = options.newOptOutId ?? newOptOutId;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** Uncontended: one GetItem (the head) + one TransactWriteItems; each lost race adds both again. */
  async append(draft: LedgerEventDraft, recordedAt: string): Promise<LedgerRecord> {
    return this.appendWith(draft, recordedAt);
  }

  /**
   * Like `append`, plus the phone's global opt-out in the same transaction. `ConflictError` (and
   * nothing written) when the opt-out record's key exists already.
   */
  async appendOptOut(
    revocation: LedgerEventDraft,
    optOut: OptOutDraft,
    recordedAt: string,
  ): Promise<{ revocation: LedgerRecord; optOut: OptOutRecord }> {
    if (revocation.type !== 'revocation')
      throw new Error(`appendOptOut: expected a revocation, got ${revocation.type}`);
    if (revocation.phone !== optOut.phone)
      throw new Error('appendOptOut: the revocation and opt-out phones differ');
    // The opt-out names its revocation, so the two keep one place in the chain's order.
    const revocationId = this.newId();
    const optOutId = this.newOptOutId();
    let optOutItem: OptOutRecord | undefined;
    // The opt-out's own chain head is read again on every attempt, with the ledger's.
    const record = await this.appendWith(
      revocation,
      recordedAt,
      async () => {
        const append = await optOutAppend(
          this.client,
          { optouts: this.optOutsTable, counters: this.countersTable },
          { ...optOut, revocationId },
          optOutId,
          recordedAt,
        );
        optOutItem = append.record;
        return append.items;
      },
      revocationId,
    );
    return { revocation: record, optOut: optOutItem as OptOutRecord };
  }

  /** The chain in order, seq 1 first: one strongly consistent Query per 1 MB page. */
  async list(agentId: string, phone: string): Promise<LedgerRecord[]> {
    return queryAll<LedgerRecord>(this.client, {
      TableName: this.ledgerTable,
      KeyConditionExpression: 'chainId = :chainId',
      ExpressionAttributeValues: { ':chainId': chainIdOf(agentId, phone) },
      ConsistentRead: true,
    });
  }

  /** Every agent's events for the phone, by `recordedAt`: Query pages of index `byPhone` (eventually consistent). */
  async listByPhone(phone: string): Promise<LedgerRecord[]> {
    return queryAll<LedgerRecord>(this.client, {
      TableName: this.ledgerTable,
      IndexName: 'byPhone',
      KeyConditionExpression: 'phone = :phone',
      ExpressionAttributeValues: { ':phone': phone },
    });
  }

  /**
   * Re-hashes the chain from genesis and reports the first link that does not hold: a missing
   * seq, a `prevHash` that is not the previous event's hash, a `hash` that does not match the
   * event's contents, or a head that disagrees with the events. One GetItem + the list Query.
   */
  async verify(agentId: string, phone: string): Promise<ChainVerification> {
    const chainId = chainIdOf(agentId, phone);
    // Head first: an append landing in between then only lengthens the list, never fakes a gap.
    const head = await this.readHead(chainId);
    const events = await this.list(agentId, phone);
    const report = (seq: number, id: string, problem: string): ChainVerification => ({
      chainId,
      events: events.length,
      ok: false,
      firstBroken: { seq, id, problem },
    });

    let previousHash = GENESIS_HASH;
    for (const [index, event] of events.entries()) {
      const seq = index + 1;
      if (event.seq !== seq)
        return report(seq, event.id, `seq ${seq} is missing: the next event is seq ${event.seq}`);
      if (event.prevHash !== previousHash) {
        return report(
          seq,
          event.id,
          `prevHash is not the hash of ${seq === 1 ? 'genesis' : `seq ${seq - 1}`}`,
        );
      }
      if (chainHash(previousHash, event) !== event.hash) {
        return report(seq, event.id, "hash does not match the event's contents");
      }
      previousHash = event.hash;
    }

    const last = events.at(-1);
    if (head === undefined) {
      return last === undefined
        ? { chainId, events: 0, ok: true }
        : report(last.seq, last.id, 'the chain head is missing');
    }
    if (head.seq > events.length) {
      return report(
        events.length + 1,
        '',
        `seq ${events.length + 1} is missing: the head is at seq ${head.seq}`,
      );
    }
    const atHead = events[head.seq - 1];
    if (atHead === undefined || atHead.hash !== head.hash) {
      return report(head.seq, atHead?.id ?? '', `the head hash does not match seq ${head.seq}`);
    }
    return { chainId, events: events.length, ok: true };
  }

  /**
   * The append loop: read the head, link the event to it, write event + head move (+ `extra`)
   * in one transaction conditioned on the head not having moved; on a lost race, back off with
   * full jitter and start over. The event id is fixed across attempts.
   */
  private async appendWith(
    draft: LedgerEventDraft,
    recordedAt: string,
    extra: () => Promise<TransactItem[]> = async () => [],
    id: string = this.newId(),
  ): Promise<LedgerRecord> {
    const chainId = chainIdOf(draft.agentId, draft.phone);
    for (let attempt = 1; ; attempt++) {
      const head = await this.readHead(chainId);
      const record = linkedRecord(draft, chainId, id, recordedAt, head);
      const extraItems = await extra();
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.ledgerTable,
                  Item: record,
                  ConditionExpression: 'attribute_not_exists(chainId)',
                },
              },
              { Put: this.headMove(chainId, head, record) },
              ...extraItems,
            ],
            // Makes an SDK-level retry of this very attempt idempotent (no double append).
            ClientRequestToken: randomUUID(),
          }),
        );
        return record;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (extraItems.length > 0 && codes[2] === 'ConditionalCheckFailed') {
          throw new ConflictError(`the opt-out for ${draft.phone} exists; nothing written`);
        }
        if (!codes.some((code) => RETRYABLE.has(code))) throw error;
        if (attempt >= this.maxAttempts) {
          throw new Error(`ledger: chain ${chainId} kept moving; gave up after ${attempt} attempts`, {
            cause: error,
          });
        }
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
      }
    }
  }

  private headMove(chainId: string, seen: ChainHead | undefined, record: LedgerRecord) {
    return {
      TableName: this.countersTable,
      Item: { key: headKey(chainId), chainId, headSeq: record.seq, headHash: record.hash },
      ConditionExpression: seen === undefined ? 'attribute_not_exists(#key)' : 'headSeq = :seen',
      ExpressionAttributeNames: seen === undefined ? { '#key': 'key' } : undefined,
      ExpressionAttributeValues: seen === undefined ? undefined : { ':seen': seen.seq },
    };
  }

  private async readHead(chainId: string): Promise<ChainHead | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.countersTable, Key: { key: headKey(chainId) }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : { seq: Item.headSeq as number, hash: Item.headHash as string };
  }
}

/** The next event of the chain after `head` (genesis when there is none), hashed. */
function linkedRecord(
  draft: LedgerEventDraft,
  chainId: string,
  id: string,
  recordedAt: string,
  head: ChainHead | undefined,
): LedgerRecord {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const unhashed = { ...draft, chainId, seq: (head?.seq ?? 0) + 1, id, recordedAt, prevHash };
  return { ...unhashed, hash: chainHash(prevHash, unhashed) };
}
