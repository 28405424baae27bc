/**
 * How a message record is laid out in the `messages` table: the attributes its indexes and TTL
 * read, derived here from the record and never written by a use case. `byPhone` groups a
 * phone's texts (a contact's conversation among them), the sparse `byDue` index holds the drip
 * steps still scheduled, the
 * sparse `byRelease` index the held texts, and `expiresAt` is the retention TTL (RULES §6).
 */
import { utcDay } from '../../compliance/utc-day';
import { ENTERED_ONCE, MESSAGE_STATUSES, retentionExpiry } from '../../compliance/message-lifecycle';
import type { ComplianceReceipt } from '../../compliance/receipt';
import type { LoggedText, MessageRecord, MessageStatus, StatusChange } from '../../ports';

/**
 * Shards of the due index per day, so one day's steps never form a hot partition: a day's index
 * writes (enrollments planning steps, the sweep claiming them at concurrency 16) peak at a few
 * hundred a second and one partition takes 1,000 write units a second
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html),
 * so 4 leave headroom, and each sweep tick costs 4 Queries a day swept.
 */
export const DUE_SHARDS = 4;

// The sparse release index spreads held messages over a few partitions; the reconciler reads each.
const RELEASE_SHARDS = 4;

/** The attributes only the table needs; a record read back never carries them. */
const STORAGE_ATTRIBUTES = ['dueShard', 'releaseShard', 'expiresAt'] as const;

type StorageAttributes = { [K in (typeof STORAGE_ATTRIBUTES)[number]]?: string | number };

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
 *
 * A sent text's item is its state only: its history entries of statuses that can recur are
 * {@link eventItem}s of their own, and those of `sent` and the final statuses (each entered at
 * most once) sit in fixed attributes, `entry_<status>`. So no status change rewrites a growing
 * list. A received text keeps its short history on the item.
 */
export function messageItem(record: LoggedText): LoggedText & StorageAttributes {
  const item: LoggedText & StorageAttributes = {
    ...record,
    expiresAt: messageExpiry(record),
  };
  if (record.status === 'scheduled' && record.dueAt !== undefined)
    item.dueShard = dueShard(new Date(record.dueAt), record.messageId);
  if (record.status === 'held') item.releaseShard = releaseShard(record.messageId);
  if (record.kind === 'inbound') return item;
  const stored = item as Record<string, unknown>;
  delete stored.history;
  if (firstEntryOnItem(record)) stored[FIRST_ENTRY] = record.history[0];
  for (const change of record.history) {
    if (ENTERED_ONCE.includes(change.status)) stored[onceEntry(change.status)] = change;
  }
  // The latest receipt is stored once: in its history entry when that carries the same.
  const latest = lastReceipt(record.history);
  if (record.receipt === undefined || sameReceipt(latest, record.receipt)) delete stored.receipt;
  return item;
}

/**
 * The history entries of `record` stored as event items: those of statuses that can recur, but
 * the first when it sits on the item ({@link firstEntryOnItem}).
 */
export function eventItemsOf(record: MessageRecord): Record<string, unknown>[] {
  const expiresAt = messageExpiry(record);
  const later = firstEntryOnItem(record) ? record.history.slice(1) : record.history;
  return later
    .filter((change) => !ENTERED_ONCE.includes(change.status))
    .map((change) => eventItem(record.messageId, change, expiresAt));
}

/** The attribute of a text's item that holds its first history entry, when {@link firstEntryOnItem}. */
const FIRST_ENTRY = 'entry_first';

/**
 * Whether a new text's first history entry is stored on its item rather than as an event item:
 * when it carries no receipt (a drip step's `scheduled`, an enrollment's first `queued`), so an
 * enrollment puts 23 items, not 46. An entry with a receipt stays an event item: it would make
 * the item, and so every later update of it, bill more write units.
 */
function firstEntryOnItem(record: MessageRecord): boolean {
  const first = record.history[0];
  return first !== undefined && first.receipt === undefined && !ENTERED_ONCE.includes(first.status);
}

/** One history entry as its own put-only item, sorted by its instant, then by when it was written. */
export function eventItem(
  messageId: string,
  change: StatusChange,
  expiresAt: number,
): Record<string, unknown> {
  return { ...change, messageId, entry: `${change.at}#${tiebreak()}`, expiresAt };
}

/** The attribute that holds the history entry of a status entered at most once. */
export const onceEntry = (status: MessageStatus): string => `entry_${status}`;

/** The retention TTL of a text and of every history entry it has (RULES §6). */
export function messageExpiry(record: Pick<LoggedText, 'dueAt' | 'createdAt'>): number {
  return retentionExpiry(new Date(record.dueAt ?? record.createdAt));
}

/** `a` and `b` are the same receipt (both present). */
export function sameReceipt(a: unknown, b: unknown): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

// Entries written in the same millisecond of the clock (a test's hand clock, the simulation's)
// keep the order they were written in: a counter that never goes back, from real time.
let lastTiebreak = 0;
function tiebreak(): string {
  lastTiebreak = Math.max(lastTiebreak + 1, Date.now() * 1000);
  return String(lastTiebreak).padStart(17, '0');
}

/** The receipt of the last history entry that carries one. */
function lastReceipt(history: readonly { receipt?: ComplianceReceipt }[]): ComplianceReceipt | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const receipt = history[i]?.receipt;
    if (receipt !== undefined) return receipt;
  }
  return undefined;
}

/**
 * `item` as a record, with the storage attributes left behind. A sent text's history is its first
 * entry when the item holds it, its `events` (as {@link eventItem} wrote them, any order), then
 * its once-only entries; always in that order, as the first entry is the one it was created with
 * and nothing leads from `sent` or a final status back to another.
 */
export function fromItem<T extends LoggedText>(
  item: Record<string, unknown>,
  events: readonly Record<string, unknown>[] = [],
): T {
  const record = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete record[attribute];
  if (record.kind === 'inbound') return record as T;
  const first = record[FIRST_ENTRY] as StatusChange | undefined;
  delete record[FIRST_ENTRY];
  const once: StatusChange[] = [];
  for (const status of MESSAGE_STATUSES) {
    const entry = record[onceEntry(status)] as StatusChange | undefined;
    if (entry === undefined) continue;
    delete record[onceEntry(status)];
    if (ENTERED_ONCE.includes(status)) once.push(entry);
  }
  const recurring = [...events]
    .sort((a, b) => (String(a.entry) < String(b.entry) ? -1 : String(a.entry) > String(b.entry) ? 1 : 0))
    .map(({ messageId: _id, entry: _entry, expiresAt: _expires, ...change }) => change as StatusChange);
  const history = [...(first === undefined ? [] : [first]), ...recurring, ...once];
  record.history = history;
  if (record.receipt === undefined) {
    const receipt = lastReceipt(history);
    if (receipt !== undefined) record.receipt = receipt;
  }
  return record as T;
}

/** `fromItem`, for an item that may be absent. */
export function fromMaybeItem<T extends LoggedText>(
  item: Record<string, unknown> | undefined,
  events: readonly Record<string, unknown>[] = [],
): T | undefined {
  return item === undefined ? undefined : fromItem<T>(item, events);
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
