import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerRecord, OptOutRecord, PhoneRecords, PhoneState } from '../../ports';
import { advancePhoneState } from '../../phone-state';
import { cancellationCodes } from './conditions';
import type { TransactItem } from './items';
import { queryAll } from './query-all';
import { mirrorConsentVersion } from './recipient-item';

/**
 * The ledger table's item collection of one phone (pk `phone`, sk `entry`): every agent's chain,
 * the opt-out chain and the derived state. Record entries sort in chain order within their kind.
 */
export const STATE_ENTRY = 'state';
const LEDGER_PREFIX = 'chain#';
const OPT_OUT_PREFIX = 'optout#';
const SEQ_DIGITS = 10;

const seqKey = (seq: number): string => String(seq).padStart(SEQ_DIGITS, '0');
export const ledgerEntry = (agentId: string, seq: number): string =>
  `${LEDGER_PREFIX}${agentId}#${seqKey(seq)}`;
export const optOutEntry = (seq: number): string => `${OPT_OUT_PREFIX}${seqKey(seq)}`;
export const chainPrefix = (agentId: string): string => `${LEDGER_PREFIX}${agentId}#`;
export { LEDGER_PREFIX, OPT_OUT_PREFIX };

export type { TransactItem } from './items';

type Stored = Record<string, unknown> & { entry: string };

/** The record as its writer built it: the stored item without its sort key. */
export function withoutEntry<T>(item: Stored): T {
  const { entry: _entry, ...record } = item;
  return record as T;
}

/** Sorts one Query's items of a phone into its records and its state. */
export function phoneRecordsOf(phone: string, items: readonly Stored[]): PhoneRecords {
  const records: PhoneRecords = { phone, ledger: [], optOuts: [] };
  for (const item of items) {
    if (item.entry === STATE_ENTRY) records.state = withoutEntry<PhoneState>(item);
    else if (item.entry.startsWith(LEDGER_PREFIX)) records.ledger.push(withoutEntry<LedgerRecord>(item));
    else if (item.entry.startsWith(OPT_OUT_PREFIX)) records.optOuts.push(withoutEntry<OptOutRecord>(item));
  }
  return records;
}

/** The phone's whole collection: one strongly consistent Query (per 1 MB page). */
export async function queryPhone(
  client: DynamoDBDocumentClient,
  table: string,
  phone: string,
  prefix?: string,
): Promise<Stored[]> {
  return queryAll<Stored>(client, {
    TableName: table,
    KeyConditionExpression:
      prefix === undefined ? 'phone = :phone' : 'phone = :phone AND begins_with(#entry, :prefix)',
    ExpressionAttributeNames: prefix === undefined ? undefined : { '#entry': 'entry' },
    ExpressionAttributeValues:
      prefix === undefined ? { ':phone': phone } : { ':phone': phone, ':prefix': prefix },
    ConsistentRead: true,
  });
}

/** The phone's derived state: one strongly consistent GetItem. */
export async function readPhoneState(
  client: DynamoDBDocumentClient,
  table: string,
  phone: string,
): Promise<PhoneState | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: table, Key: { phone, entry: STATE_ENTRY }, ConsistentRead: true }),
  );
  return Item === undefined ? undefined : withoutEntry<PhoneState>(Item as Stored);
}

/** A record's Put: never over an existing entry (a lost race for the same seq). */
export function putRecord(table: string, entry: string, record: { phone: string }): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: { ...record, entry },
      ConditionExpression: 'attribute_not_exists(#entry)',
      ExpressionAttributeNames: { '#entry': 'entry' },
    },
  };
}

/** The tables a move of a phone's state writes: the state in `ledger`, its version's copy in `counters`. */
export type PhoneStateTables = { ledger: string; counters: string };

/**
 * The state's move, conditioned on the version the writer read (or on there being none), and the
 * copy of its new version on the phone's counters item, which the send claim checks
 * (recipient-item.ts): two actions of the writer's transaction.
 */
export function moveState(
  tables: PhoneStateTables,
  next: PhoneState,
  seen: PhoneState | undefined,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: tables.ledger,
        Item: { ...next, entry: STATE_ENTRY },
        ConditionExpression: seen === undefined ? 'attribute_not_exists(#entry)' : 'version = :seen',
        ExpressionAttributeNames: seen === undefined ? { '#entry': 'entry' } : undefined,
        ExpressionAttributeValues: seen === undefined ? undefined : { ':seen': seen.version },
      },
    },
    mirrorConsentVersion(tables.counters, next.phone, next.version),
  ];
}

/** The record Puts and state move that add `records` to a phone whose state was `seen`. */
export function phoneAppendItems(
  tables: PhoneStateTables,
  phone: string,
  seen: PhoneState | undefined,
  records: { ledger?: LedgerRecord[]; optOuts?: OptOutRecord[] },
): TransactItem[] {
  return [
    ...(records.ledger ?? []).map((record) =>
      putRecord(tables.ledger, ledgerEntry(record.agentId, record.seq), record),
    ),
    ...(records.optOuts ?? []).map((record) => putRecord(tables.ledger, optOutEntry(record.seq), record)),
    ...moveState(tables, advancePhoneState(phone, seen, records), seen),
  ];
}

/** What one attempt of {@link appendToPhone} writes: its items (state move included) and its result. */
export type PhoneAppend<T> = { items: TransactItem[]; result: T };

const DEFAULT_MAX_ATTEMPTS = 20;
// The state moved (a lost race), or DynamoDB refusing to interleave two transactions on the same
// item: both mean "read the state again and retry". Anything else is a real failure.
const RETRYABLE = new Set(['ConditionalCheckFailed', 'TransactionConflict', 'ThrottlingError']);

/**
 * The append loop every writer of a phone's records shares: read the derived state, build the
 * records linked to it and the state's move, write them in one transaction conditioned on the
 * state not having moved; on a lost race, back off with full jitter and start over.
 * `refused(codes)` may turn a cancellation into an error of its own (a write of the caller's
 * that must not be retried); a build with no items writes nothing. Uncontended: one GetItem +
 * one TransactWriteItems.
 */
export async function appendToPhone<T>(
  client: DynamoDBDocumentClient,
  table: string,
  phone: string,
  build: (state: PhoneState | undefined) => PhoneAppend<T> | Promise<PhoneAppend<T>>,
  options: { maxAttempts?: number; refused?: (codes: string[]) => Error | undefined } = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const state = await readPhoneState(client, table, phone);
    const { items, result } = await build(state);
    // Nothing to add: the state was read, and that is all the answer needs.
    if (items.length === 0) return result;
    try {
      await client.send(
        // The token makes an SDK-level retry of this very attempt idempotent (no double append).
        new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }),
      );
      return result;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      const own = options.refused?.(codes);
      if (own !== undefined) throw own;
      if (!codes.some((code) => RETRYABLE.has(code))) throw error;
      if (attempt >= maxAttempts) {
        throw new Error(`phone ${phone}: its records kept moving; gave up after ${attempt} attempts`, {
          cause: error,
        });
      }
      await sleep(Math.random() * Math.min(250, 10 * 2 ** attempt));
    }
  }
}
