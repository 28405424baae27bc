import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { canMove, inboundId } from '../../compliance/message-lifecycle';
import { InvalidInput } from '../../domain-errors';
import type {
  InboundChange,
  InboundClaim,
  InboundRecord,
  LoggedText,
  MessageRecord,
  MessageStatus,
  MessageStore,
  StatusChange,
} from '../../ports';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { queryAll } from './query-all';

export type MessageStoreOptions = DynamoStoreOptions & {
  /** Items per `listByAgent` page; 200 by default. */
  pageSize?: number;
};

const DEFAULT_PAGE_SIZE = 200;

// `transition` owns these: the status and history move together, and the key never changes.
// `expiresAt` too: the retention is set at creation and never moved (IAM denies it as well).
const MANAGED_FIELDS = new Set(['messageId', 'status', 'history', 'updatedAt', 'releaseShard', 'expiresAt']);

// The sparse release index spreads held messages over a few partitions; the reconciler reads each.
const RELEASE_SHARDS = 4;
const releaseShardOf = (messageId: string): string => {
  let hash = 0;
  for (const char of messageId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `held#${hash % RELEASE_SHARDS}`;
};

// A `listByAgent` cursor is the index's LastEvaluatedKey; it is checked on the way back in so a
// caller cannot page through another agent's partition with a forged one.
const agentCursor = z.strictObject({ messageId: z.string(), agentId: z.string(), createdAt: z.string() });

/** The message log in DynamoDB: one item per message, found by id, Twilio SID, contact, agent or due time. */
export class DynamoMessageStore implements MessageStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly pageSize: number;

  constructor(options: MessageStoreOptions) {
    this.client = options.client;
    this.table = options.tables.messages;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /** One conditional PutItem. */
  async create(message: MessageRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: message,
          ConditionExpression: 'attribute_not_exists(messageId)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** One GetItem (strongly consistent); a received text is not a message of this port's. */
  async get(messageId: string): Promise<MessageRecord | undefined> {
    const item = await this.item(messageId);
    return item === undefined || isInbound(item) ? undefined : item;
  }

  /** One GetItem (strongly consistent) of `inbound_<MessageSid>`. */
  async getInbound(messageSid: string): Promise<InboundRecord | undefined> {
    const item = await this.item(inboundId(messageSid));
    return item !== undefined && isInbound(item) ? item : undefined;
  }

  /**
   * One conditional PutItem, as Powertools' idempotency layer takes a record: it succeeds when
   * no record exists, when the last delivery was interrupted, or when its lease ran out (a
   * delivery that crashed). `ALL_OLD` says in the same round trip whether a record was replaced,
   * and hands its first receipt and history to {@link finishInbound}, which writes them back.
   */
  async claimInbound(received: InboundRecord, leaseMs: number): Promise<InboundClaim | undefined> {
    const at = received.updatedAt;
    const item: InboundRecord = {
      ...received,
      status: 'processing',
      leaseUntil: new Date(Date.parse(at) + leaseMs).toISOString(),
    };
    try {
      const { Attributes } = await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression:
            'attribute_not_exists(messageId) OR #status = :interrupted OR (#status = :processing AND leaseUntil < :at)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':interrupted': 'interrupted',
            ':processing': 'processing',
            ':at': at,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const earlier = Attributes as InboundRecord | undefined;
      if (earlier === undefined)
        return { messageId: item.messageId, createdAt: item.createdAt, recovering: false };
      return {
        messageId: item.messageId,
        createdAt: earlier.createdAt,
        recovering: true,
        earlier: { createdAt: earlier.createdAt, history: [...earlier.history, ...item.history] },
      };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * One conditional UpdateItem, only while the claim's lease is this delivery's: the status,
   * the history entry and `repliedBy` together; a takeover also gets the replaced record's first
   * receipt and history back in front of its own.
   */
  async finishInbound(
    claim: InboundClaim,
    change: InboundChange & { status: 'handled' | 'interrupted' },
    repliedBy?: string,
  ): Promise<void> {
    const values: Record<string, unknown> = {
      ':to': change.status,
      ':at': change.at,
      ':change': [change],
      ':processing': 'processing',
    };
    const sets = ['#status = :to', 'updatedAt = :at'];
    if (claim.earlier === undefined) {
      sets.push('#history = list_append(#history, :change)');
    } else {
      values[':earlier'] = claim.earlier.history;
      values[':createdAt'] = claim.earlier.createdAt;
      sets.push('#history = list_append(:earlier, :change)', 'createdAt = :createdAt');
    }
    if (repliedBy !== undefined) {
      values[':repliedBy'] = repliedBy;
      sets.push('repliedBy = :repliedBy');
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { messageId: claim.messageId },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE leaseUntil`,
          ConditionExpression: '#status = :processing',
          ExpressionAttributeNames: { '#status': 'status', '#history': 'history' },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // A retry took the text over after this delivery's lease ran out: the retry closes it.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async item(messageId: string): Promise<LoggedText | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { messageId }, ConsistentRead: true }),
    );
    return Item as LoggedText | undefined;
  }

  /**
   * One conditional UpdateItem: status, `updatedAt` (= `change.at`) and the history entry move
   * together, only from one of the `from` statuses; undefined (nothing written) otherwise.
   *
   * `set` writes other fields in the same update. A field present in `set` with the value
   * `undefined` (or `null`) is REMOVEd: that is how a drip step leaves the sparse `byDue`
   * index once queued, e.g. `{ dueShard: undefined, dueAt: undefined }`. `messageId`,
   * `status`, `history` and `updatedAt` may not be in `set`.
   */
  async transition(
    messageId: string,
    from: readonly MessageStatus[],
    change: StatusChange,
    set: Partial<MessageRecord> = {},
  ): Promise<MessageRecord | undefined> {
    if (from.length === 0) return undefined;
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          ...transitionUpdate(this.table, messageId, from, change, set),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as MessageRecord;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** One conditional UpdateItem (the transition's, plus the SID condition); no read. */
  async recordCallback(
    messageId: string,
    twilioSid: string,
    from: readonly MessageStatus[],
    change: StatusChange,
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const set = { twilioSid, ...(change.errorCode === undefined ? {} : { errorCode: change.errorCode }) };
    const update = transitionUpdate(this.table, messageId, from, change, set);
    update.ExpressionAttributeValues[':sid'] = twilioSid;
    update.ExpressionAttributeNames['#sid'] = 'twilioSid';
    try {
      await this.client.send(
        new UpdateCommand({
          ...update,
          ConditionExpression: `${update.ConditionExpression} AND (attribute_not_exists(#sid) OR #sid = :sid)`,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** One Query of index `byTwilioSid` (eventually consistent). */
  async findByTwilioSid(twilioSid: string): Promise<MessageRecord | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byTwilioSid',
        KeyConditionExpression: 'twilioSid = :sid',
        ExpressionAttributeValues: { ':sid': twilioSid },
        Limit: 1,
      }),
    );
    return Items?.[0] as MessageRecord | undefined;
  }

  /** Every message to one of the agent's contacts, oldest first: Query pages of index `byContact`. */
  async listByContact(agentId: string, phone: string): Promise<LoggedText[]> {
    return queryAll<LoggedText>(this.client, {
      TableName: this.table,
      IndexName: 'byContact',
      KeyConditionExpression: 'agentPhone = :agentPhone',
      ExpressionAttributeValues: { ':agentPhone': `${agentId}#${phone}` },
    });
  }

  /**
   * One Query of index `byAgent` per page. The cursor is opaque (base64url of the index key);
   * a page may hold fewer items than the page size, even none, and still have a cursor.
   */
  async listByAgent(
    agentId: string,
    range: { from: string; to: string },
    cursor?: string,
  ): Promise<{ items: LoggedText[]; cursor?: string }> {
    if (range.from >= range.to) return { items: [] };
    const { Items, LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byAgent',
        // One sort-key clause only, and a filter may not name a key: BETWEEN includes `to`, so
        // the items exactly at `to` are dropped here instead.
        KeyConditionExpression: 'agentId = :agentId AND createdAt BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':agentId': agentId, ':from': range.from, ':to': range.to },
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor, agentId),
        Limit: this.pageSize,
      }),
    );
    const page = (Items ?? []) as LoggedText[];
    const items = page.filter((item) => item.createdAt !== range.to);
    // Sorted by createdAt ≤ to: once an item at `to` shows up, nothing in range is left.
    const done = LastEvaluatedKey === undefined || items.length < page.length;
    return done ? { items } : { items, cursor: encodeCursor(LastEvaluatedKey) };
  }

  /** Every drip step of the shard due by `until`, earliest first: Query pages of index `byDue`. */
  /** One Query per release shard of the sparse `byRelease` index (eventually consistent). */
  async listHeldBefore(before: string): Promise<MessageRecord[]> {
    const shards = Array.from({ length: RELEASE_SHARDS }, (_, i) => `held#${i}`);
    const pages = await Promise.all(
      shards.map((shard) =>
        queryAll<MessageRecord>(this.client, {
          TableName: this.table,
          IndexName: 'byRelease',
          KeyConditionExpression: 'releaseShard = :shard AND releaseAt < :before',
          ExpressionAttributeValues: { ':shard': shard, ':before': before },
        }),
      ),
    );
    return pages.flat();
  }

  async listDue(dueShard: string, until: string): Promise<MessageRecord[]> {
    return queryAll<MessageRecord>(this.client, {
      TableName: this.table,
      IndexName: 'byDue',
      KeyConditionExpression: 'dueShard = :shard AND dueAt <= :until',
      ExpressionAttributeValues: { ':shard': dueShard, ':until': until },
    });
  }
}

/**
 * The conditional update `transition` sends, as parameters a TransactWriteItems `Update` action
 * accepts too (the send claim moves the status in the same transaction as the cap slots).
 * `from` must not be empty.
 */
export function transitionUpdate(
  table: string,
  messageId: string,
  from: readonly MessageStatus[],
  change: StatusChange,
  set: Partial<MessageRecord> = {},
): {
  TableName: string;
  Key: { messageId: string };
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
} {
  const refused = from.filter((status) => !canMove(status, change.status));
  if (refused.length > 0) {
    throw new Error(
      `transition: ${refused.join(', ')} → ${change.status} is not a move of the message lifecycle`,
    );
  }
  const names: Record<string, string> = { '#status': 'status', '#history': 'history' };
  const values: Record<string, unknown> = {
    ':to': change.status,
    ':at': change.at,
    ':change': [change],
    ':none': [],
  };
  const sets = [
    '#status = :to',
    'updatedAt = :at',
    '#history = list_append(if_not_exists(#history, :none), :change)',
  ];
  const removes: string[] = [];
  // A held message is in the release index until it leaves `held`, whatever moves it.
  names['#releaseShard'] = 'releaseShard';
  if (change.status === 'held') {
    values[':releaseShard'] = releaseShardOf(messageId);
    sets.push('#releaseShard = :releaseShard');
  } else {
    removes.push('#releaseShard');
  }
  Object.entries(set).forEach(([field, value], i) => {
    if (MANAGED_FIELDS.has(field)) throw new Error(`transition: ${field} is set by the transition itself`);
    names[`#s${i}`] = field;
    if (value === undefined || value === null) {
      removes.push(`#s${i}`);
    } else {
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
    }
  });
  const allowed = from.map((status, i) => {
    values[`:f${i}`] = status;
    return `:f${i}`;
  });
  return {
    TableName: table,
    Key: { messageId },
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `#status IN (${allowed.join(', ')})`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

const isInbound = (item: LoggedText): item is InboundRecord => item.kind === 'inbound';

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, agentId: string): Record<string, unknown> {
  let key: z.infer<typeof agentCursor>;
  try {
    key = agentCursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursorError('not a cursor of this listing');
  }
  if (key.agentId !== agentId) throw new InvalidCursorError('belongs to another listing');
  return key;
}

/** A `listByAgent` cursor that was not produced by this listing (tampered, truncated or another agent's). */
export class InvalidCursorError extends InvalidInput {
  override readonly name = 'InvalidCursorError';

  constructor(problem: string) {
    super('cursor', problem);
  }
}
