import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

// BatchGetItem takes at most 100 keys a call and may hand back keys it did not get to
// (throttling, the 16 MB answer limit) as UnprocessedKeys, to be asked again after a pause:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
const KEYS_PER_CALL = 100;
const UNPROCESSED_TRIES = 8;
const BACKOFF_BASE_MS = 5;

/**
 * Every item of `keys` (by table) that exists, strongly consistent, in calls of 100 keys; keys
 * left unprocessed are asked again with jittered backoff, and still-unprocessed keys after the
 * last try throw (a read the gate relies on is never silently missing). Items come back by
 * table in no particular order.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  keys: Readonly<Record<string, readonly Key[]>>,
): Promise<Map<string, Item[]>> {
  const found = new Map<string, Item[]>();
  const all = Object.entries(keys).flatMap(([table, tableKeys]) => tableKeys.map((key) => ({ table, key })));
  for (let start = 0; start < all.length; start += KEYS_PER_CALL) {
    let pending: Record<string, { Keys: Key[]; ConsistentRead: true }> = {};
    for (const { table, key } of all.slice(start, start + KEYS_PER_CALL)) {
      (pending[table] ??= { Keys: [], ConsistentRead: true }).Keys.push(key);
    }
    for (let attempt = 1; Object.keys(pending).length > 0; attempt++) {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: pending }),
      );
      for (const [table, items] of Object.entries(Responses ?? {})) {
        const list = found.get(table) ?? [];
        list.push(...items);
        found.set(table, list);
      }
      pending = (UnprocessedKeys ?? {}) as typeof pending;
      if (Object.keys(pending).length === 0) break;
      if (attempt >= UNPROCESSED_TRIES) throw new Error('BatchGetItem left keys unprocessed after retries');
      await sleep(Math.random() * BACKOFF_BASE_MS * 2 ** attempt);
    }
  }
  return found;
}
