import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CounterStore, RecentSendRecord } from '../../ports';
import type { Cadence } from '../../rules/cadence';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';

const DAY_SECONDS = 24 * 60 * 60;
// Caps look back 24 h at most; two days of TTL keeps every send a cap can still count.
const COUNTER_TTL_SECONDS = 2 * DAY_SECONDS;
// Recently read send lists kept for `claimSend`, so a read-decide-claim costs two round trips.
// Short-lived: a TTL deletion restarts the versions, and an old memory must not outlive that.
const REMEMBERED_LISTS = 1_000;
const REMEMBER_MS = 30_000;

const recipientKey = (phone: string): string => `recipient#${phone}`;
const agentDayKey = (agentId: string, utcDate: string): string => `agent#${agentId}#${utcDate}`;
const SWEEP_CURSOR_KEY = 'sweep#cursor';
const cadenceKey = (agentId: string): string => `cadence#${agentId}`;
const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

type RecipientItem = { sends?: RecentSendRecord[]; version?: number };
type StoredSends = { version: number; sends: RecentSendRecord[] };
type Remembered = StoredSends & { until: number };

/**
 * Send counters in DynamoDB: per recipient, the recent sends of every agent with a version for
 * optimistic concurrency (RULES §3 caps); per agent and UTC day, a send count.
 *
 * Every write bumps the recipient's version, so the list stored at a version never changes:
 * `claimSend` reuses the list `recentSends` read at the version it is given (kept in a small
 * per-instance memory) and only reads again when it has not seen that version.
 */
export class DynamoCounterStore implements CounterStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly seenLists = new Map<string, Remembered>();

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tables.counters;
  }

  /** One GetItem (strongly consistent). Version 0 means no send is stored. */
  async recentSends(phone: string, since: string): Promise<{ sends: RecentSendRecord[]; version: number }> {
    const stored = await this.readRecipient(phone);
    const earliest = Date.parse(since);
    return { sends: stored.sends.filter((send) => Date.parse(send.at) >= earliest), version: stored.version };
  }

  /**
   * One conditional UpdateItem when `seenVersion` came from this instance's `recentSends`,
   * otherwise a GetItem first. Stores the sends since `keepSince` plus `send`; false (nothing
   * written) when another writer moved the version since it was seen.
   */
  async claimSend(
    phone: string,
    send: RecentSendRecord,
    seenVersion: number,
    keepSince: string,
  ): Promise<boolean> {
    const remembered = this.seenLists.get(phone);
    const fresh =
      remembered !== undefined && remembered.version === seenVersion && remembered.until > Date.now();
    const stored = fresh ? remembered : await this.readRecipient(phone);
    if (stored.version !== seenVersion) return false;
    const earliest = Date.parse(keepSince);
    const sends = [...stored.sends.filter((kept) => Date.parse(kept.at) >= earliest), send];
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { key: recipientKey(phone) },
          UpdateExpression: 'SET sends = :sends, #version = :next, expiresAt = :expiresAt',
          ConditionExpression: seenVersion === 0 ? 'attribute_not_exists(#version)' : '#version = :seen',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':sends': sends,
            ':next': seenVersion + 1,
            ':expiresAt': epochSeconds(send.at) + COUNTER_TTL_SECONDS,
            ...(seenVersion === 0 ? {} : { ':seen': seenVersion }),
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        this.seenLists.delete(phone);
        return false;
      }
      throw error;
    }
    this.remember(phone, { version: seenVersion + 1, sends });
    return true;
  }

  /** One GetItem (strongly consistent); 0 when the agent sent nothing that day. */
  async agentSendsOn(agentId: string, utcDate: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { key: agentDayKey(agentId, utcDate) },
        ConsistentRead: true,
      }),
    );
    return (Item?.count as number | undefined) ?? 0;
  }

  /** One atomic UpdateItem (ADD); returns the day's new count. */
  async incrementAgentSends(agentId: string, utcDate: string): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { key: agentDayKey(agentId, utcDate) },
        UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':expiresAt': epochSeconds(`${utcDate}T00:00:00Z`) + DAY_SECONDS + COUNTER_TTL_SECONDS,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes?.count as number;
  }

  // ---------- drip sweep cursor and per-account cadence (usecases/sweep.ts, usecases/enroll.ts) ----------

  /** One GetItem (strongly consistent). */
  async sweepCursor(): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { key: SWEEP_CURSOR_KEY }, ConsistentRead: true }),
    );
    return Item?.day as string | undefined;
  }

  /** One conditional UpdateItem; a failed condition (someone got there first) is not an error. */
  async setSweepCursor(day: string, mode: 'forward' | 'ifAbsent'): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { key: SWEEP_CURSOR_KEY },
          UpdateExpression: 'SET #day = :day',
          ConditionExpression:
            mode === 'ifAbsent' ? 'attribute_not_exists(#day)' : 'attribute_not_exists(#day) OR #day < :day',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** One GetItem (strongly consistent). */
  async customCadence(agentId: string): Promise<Cadence | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { key: cadenceKey(agentId) }, ConsistentRead: true }),
    );
    return Item?.cadence as Cadence | undefined;
  }

  /** One PutItem; no TTL: the account's cadence lives until it is replaced. */
  async saveCustomCadence(agentId: string, cadence: Cadence, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: { key: cadenceKey(agentId), cadence, savedAt: at } }),
    );
  }

  private async readRecipient(phone: string): Promise<StoredSends> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { key: recipientKey(phone) }, ConsistentRead: true }),
    );
    const item = Item as RecipientItem | undefined;
    const stored = { version: item?.version ?? 0, sends: item?.sends ?? [] };
    this.remember(phone, stored);
    return stored;
  }

  private remember(phone: string, stored: StoredSends): void {
    this.seenLists.delete(phone);
    this.seenLists.set(phone, { ...stored, until: Date.now() + REMEMBER_MS });
    // Maps iterate in insertion order: the first key is the least recently remembered.
    if (this.seenLists.size > REMEMBERED_LISTS) {
      const oldest = this.seenLists.keys().next().value;
      if (oldest !== undefined) this.seenLists.delete(oldest);
    }
  }
}
