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
  MessageChanges,
  MessageRecord,
  MessageStatus,
  MessageStore,
  StatusChange,
} from '../../ports';
import { batchGetAll } from './batch-get';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import {
  contactKey,
  dueShard,
  dueShardsOf,
  fromItem,
  fromMaybeItem,
  messageItem,
  RELEASE_SHARD_KEYS,
  releaseShard,
} from './message-item';
import { queryAll } from './query-all';

export type MessageStoreOptions = DynamoStoreOptions & {
  /** Items per `listByAgent` page; 200 by default. */
  pageSize?: number;
};

const DEFAULT_PAGE_SIZE = 200;
// BatchGetItem takes at most 100 keys, and may hand some back unprocessed (asked again).
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html

// The fields a transition may change besides status and history, checked complete by the
// compiler: whatever else a caller's object carries is never written.
const CHANGEABLE_FIELDS = Object.keys({
  receipt: true,
  releaseAt: true,
  twilioSid: true,
  errorCode: true,
  sentBody: true,
  body: true,
} satisfies Record<keyof MessageChanges, true>) as (keyof MessageChanges)[];

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

  /** One conditional PutItem, with the record's index keys and retention. */
  async create(message: MessageRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: messageItem(message),
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
          Item: messageItem(item),
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
    return fromMaybeItem<LoggedText>(Item);
  }

  /**
   * One conditional UpdateItem: status, `updatedAt` (= `change.at`) and the history entry move
   * together, only from one of the `from` statuses; undefined (nothing written) otherwise.
   * `changes` are written in the same update (`releaseAt: null` is REMOVEd), and the message
   * leaves the sparse due index when it leaves `scheduled`.
   */
  async transition(
    messageId: string,
    from: readonly MessageStatus[],
    change: StatusChange,
    changes: MessageChanges = {},
  ): Promise<MessageRecord | undefined> {
    if (from.length === 0) return undefined;
    return this.update(transitionUpdate(this.table, messageId, from, change, changes));
  }

  /** One conditional UpdateItem `queued → scheduled` that puts the step back in the due index at its `dueAt`. */
  async returnDue(
    step: MessageRecord,
    change: StatusChange & { status: 'scheduled' },
  ): Promise<MessageRecord | undefined> {
    if (step.dueAt === undefined) throw new Error(`returnDue: ${step.messageId} is not a drip step`);
    return this.update(transitionUpdate(this.table, step.messageId, ['queued'], change, {}, step.dueAt));
  }

  private async update(update: ReturnType<typeof transitionUpdate>): Promise<MessageRecord | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }),
      );
      return fromMaybeItem<MessageRecord>(Attributes);
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

  /** One Query of the keys-only index `byTwilioSid` (eventually consistent), then the item. */
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
    const id = Items?.[0]?.messageId as string | undefined;
    return id === undefined ? undefined : this.get(id);
  }

  /**
   * Every message to one of the agent's contacts, oldest first: Query pages of the keys-only
   * index `byContact`, then the items (strongly consistent), 100 per BatchGetItem.
   */
  async listByContact(agentId: string, phone: string): Promise<LoggedText[]> {
    const keys = await queryAll<{ messageId: string }>(this.client, {
      TableName: this.table,
      IndexName: 'byContact',
      KeyConditionExpression: 'agentPhone = :agentPhone',
      ExpressionAttributeValues: { ':agentPhone': contactKey(agentId, phone) },
    });
    return this.getMany(keys.map((key) => key.messageId));
  }

  /**
   * One Query of the keys-only index `byAgent` per page, then its items (one BatchGetItem per
   * 100). The cursor is opaque (base64url of the index key); a page may hold fewer items than
   * the page size, even none, and still have a cursor.
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
    const page = (Items ?? []) as { messageId: string; createdAt: string }[];
    const inRange = page.filter((key) => key.createdAt !== range.to);
    const items = await this.getMany(inRange.map((key) => key.messageId));
    // Sorted by createdAt ≤ to: once an item at `to` shows up, nothing in range is left.
    const done = LastEvaluatedKey === undefined || inRange.length < page.length;
    return done ? { items } : { items, cursor: encodeCursor(LastEvaluatedKey) };
  }

  /** The items of `messageIds` in that order (strongly consistent): one BatchGetItem per 100. */
  private async getMany(messageIds: readonly string[]): Promise<LoggedText[]> {
    const items = await batchGetAll(this.client, {
      [this.table]: messageIds.map((messageId) => ({ messageId })),
    });
    const found = new Map<string, LoggedText>();
    for (const item of items.get(this.table) ?? [])
      found.set(item.messageId as string, fromItem<LoggedText>(item));
    return messageIds.flatMap((messageId) => {
      const item = found.get(messageId);
      return item === undefined ? [] : [item];
    });
  }

  /** One Query per release shard of the sparse `byRelease` index (eventually consistent). */
  async listHeldBefore(before: string): Promise<MessageRecord[]> {
    return this.queryShards(
      'byRelease',
      RELEASE_SHARD_KEYS,
      'releaseShard = :shard AND releaseAt < :before',
      {
        ':before': before,
      },
    );
  }

  /**
   * One Query (and its pages) per due shard of `day` in the sparse `byDue` index, in parallel
   * (eventually consistent: a step claimed meanwhile may still show up, and its claim then
   * fails), earliest due first.
   */
  async listDue(day: string, until: string): Promise<MessageRecord[]> {
    const steps = await this.queryShards('byDue', dueShardsOf(day), 'dueShard = :shard AND dueAt <= :until', {
      ':until': until,
    });
    return steps.sort((a, b) => (a.dueAt! < b.dueAt! ? -1 : a.dueAt! > b.dueAt! ? 1 : 0));
  }

  private async queryShards(
    index: string,
    shards: readonly string[],
    condition: string,
    values: Record<string, string>,
  ): Promise<MessageRecord[]> {
    const pages = await Promise.all(
      shards.map((shard) =>
        queryAll<Record<string, unknown>>(this.client, {
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: condition,
          ExpressionAttributeValues: { ':shard': shard, ...values },
        }),
      ),
    );
    return pages.flat().map((item) => fromItem<MessageRecord>(item));
  }
}

/**
 * The conditional update `transition` sends, as parameters a TransactWriteItems `Update` action
 * accepts too (the send claim moves the status in the same transaction as the cap slots).
 * `from` must not be empty. Only a move into `scheduled` with the step's `dueAt` enters the due
 * index; every other move leaves it.
 */
export function transitionUpdate(
  table: string,
  messageId: string,
  from: readonly MessageStatus[],
  change: StatusChange,
  changes: MessageChanges = {},
  dueAt?: string,
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
  if (change.status === 'held') {
    values[':releaseShard'] = releaseShard(messageId);
    sets.push('releaseShard = :releaseShard');
  } else {
    removes.push('releaseShard');
  }
  // A drip step is due while it is `scheduled`: a move back in names its due instant, an edit
  // (`scheduled → scheduled`) keeps its place, and any other move takes it out of the due index.
  if (dueAt !== undefined) {
    values[':dueShard'] = dueShard(new Date(dueAt), messageId);
    sets.push('dueShard = :dueShard');
  } else if (change.status !== 'scheduled') {
    removes.push('dueShard');
  } else if (from.some((status) => status !== 'scheduled')) {
    throw new Error('transition: a move back into scheduled needs the due instant (returnDue)');
  }
  CHANGEABLE_FIELDS.forEach((field, i) => {
    const value = changes[field];
    if (value === undefined) return;
    names[`#c${i}`] = field;
    // The latest receipt is the one its history entry carries: stored there once, not twice.
    if (field === 'receipt' && sameReceipt(value, change.receipt)) {
      removes.push(`#c${i}`);
      return;
    }
    if (value === null) {
      removes.push(`#c${i}`);
    } else {
      values[`:c${i}`] = value;
      sets.push(`#c${i} = :c${i}`);
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

const sameReceipt = (a: unknown, b: unknown): boolean =>
  b !== undefined && JSON.stringify(a) === JSON.stringify(b);

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
