/**
 * How a message record is laid out in the `messages` table: the attributes its indexes and TTL
 * read, derived here from the record and never written by a use case. `byContact` groups a
 * contact's conversation, the sparse `byDue` index holds the drip steps still scheduled, the
 * sparse `byRelease` index the held texts, and `expiresAt` is the retention TTL (RULES §6).
 */
import { utcDay } from '../../compliance/cadence';
import { retentionExpiry } from '../../compliance/message-lifecycle';
import type { ComplianceReceipt } from '../../compliance/receipt';
import type { LoggedText } from '../../ports';

/** Shards of the due index per day: enough that one day's steps never form a hot partition. */
export const DUE_SHARDS = 16;

// The sparse release index spreads held messages over a few partitions; the reconciler reads each.
const RELEASE_SHARDS = 4;

/** The attributes only the table needs; a record read back never carries them. */
const STORAGE_ATTRIBUTES = ['agentPhone', 'dueShard', 'releaseShard', 'expiresAt'] as const;

type StorageAttributes = { [K in (typeof STORAGE_ATTRIBUTES)[number]]?: string | number };

/** The `byContact` partition of a contact's conversation. */
export function contactKey(agentId: string, phone: string): string {
  return `${agentId}#${phone}`;
}

/** The due-index partition of one UTC day and shard number, e.g. `2027-03-14#07`. */
export function dueShardKey(day: string, shard: number): string {
  return `${day}#${String(shard).padStart(2, '0')}`;
}

/** Every due-index partition of one UTC day: a sweep queries each instead of scanning. */
export function dueShardsOf(day: string, shards = DUE_SHARDS): string[] {
  return Array.from({ length: shards }, (_, shard) => dueShardKey(day, shard));
}

/**
 * The due-index partition of a drip step: its UTC due day and a shard from a stable hash of the
 * message id, so one day's steps spread over `shards` partitions.
 *
 * @example dueShard(new Date('2027-03-14T15:00:00Z'), 'msg_1f…') // '2027-03-14#11'
 */
export function dueShard(dueAt: Date, messageId: string, shards = DUE_SHARDS): string {
  if (!Number.isInteger(shards) || shards < 1 || shards > 100) {
    throw new RangeError('shards must be an integer from 1 to 100');
  }
  return dueShardKey(utcDay(dueAt), fnv1a(messageId) % shards);
}

/** The release-index partition a held message is kept in. */
export function releaseShard(messageId: string): string {
  let hash = 0;
  for (const char of messageId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `held#${hash % RELEASE_SHARDS}`;
}

/** Every release-index partition, each read by the reconciler. */
export const RELEASE_SHARD_KEYS = Array.from({ length: RELEASE_SHARDS }, (_, i) => `held#${i}`);

/**
 * The item stored for `record`: the record plus its index keys and its retention. A drip step is
 * kept 5 years after it is due, not after it was planned (a year-10 step must not expire before
 * it can be sent); any other text 5 years after it was created.
 */
export function messageItem(record: LoggedText): LoggedText & StorageAttributes {
  const item: LoggedText & StorageAttributes = {
    ...record,
    agentPhone: contactKey(record.agentId, record.phone),
    expiresAt: retentionExpiry(new Date(record.dueAt ?? record.createdAt)),
  };
  if (record.status === 'scheduled' && record.dueAt !== undefined)
    item.dueShard = dueShard(new Date(record.dueAt), record.messageId);
  if (record.status === 'held') item.releaseShard = releaseShard(record.messageId);
  // The latest receipt is stored once: in its history entry when that carries the same.
  if (record.kind !== 'inbound' && record.receipt !== undefined) {
    const latest = lastReceipt(record.history);
    if (latest !== undefined && JSON.stringify(latest) === JSON.stringify(record.receipt)) {
      delete (item as { receipt?: unknown }).receipt;
    }
  }
  return item;
}

/** The receipt of the last history entry that carries one. */
function lastReceipt(history: readonly { receipt?: ComplianceReceipt }[]): ComplianceReceipt | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const receipt = history[i]?.receipt;
    if (receipt !== undefined) return receipt;
  }
  return undefined;
}

/** `item` as a record: the storage attributes left behind. */
export function fromItem<T extends LoggedText>(item: Record<string, unknown>): T {
  const record = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete record[attribute];
  if (record.kind !== 'inbound' && record.receipt === undefined && Array.isArray(record.history)) {
    const receipt = lastReceipt(record.history as { receipt?: ComplianceReceipt }[]);
    if (receipt !== undefined) record.receipt = receipt;
  }
  return record as T;
}

/** `fromItem`, for an item that may be absent. */
export function fromMaybeItem<T extends LoggedText>(
  item: Record<string, unknown> | undefined,
): T | undefined {
  return item === undefined ? undefined : fromItem<T>(item);
}

/** FNV-1a (32 bit): stable across processes and releases, unlike anything seeded. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
