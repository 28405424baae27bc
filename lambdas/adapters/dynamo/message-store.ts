import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { canMove, ENTERED_ONCE, inboundId, isInboundId } from '../../compliance/message-lifecycle';
import { InvalidInput } from '../../domain-errors';
import type {
  InboundChange,
  InboundClaim,
  InboundRecord,
  LoggedText,
  MessageChanges,
  MessageHead,
  MessageRecord,
  MessageStatus,
  MessageStore,
  StatusChange,
} from '../../ports';
import { batchGetAll } from './batch-get';
import { cancellationCodes, isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import {
  dueShard,
  dueShardsOf,
  eventItem,
  eventItemsOf,
  fromItem,
  fromMaybeItem,
  messageExpiry,
  messageItem,
  onceEntry,
  RELEASE_SHARD_KEYS,
  releaseShard,
  sameReceipt,
} from './message-item';
import { queryAll } from './query-all';

export type MessageStoreOptions = DynamoStoreOptions & {
  /** Items per `listByAgent` page; 200 by default. */
  pageSize?: number;
};

const DEFAULT_PAGE_SIZE = 200;
/** TransactWriteItems takes at most 100 actions a call. */
const TRANSACT_WRITE_LIMIT = 100;
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
  private readonly events: string;
  private readonly pageSize: number;

  constructor(options: MessageStoreOptions) {
    this.client = options.client;
    this.table = options.tables.messages;
    this.events = options.tables.messageEvents;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /**
   * One conditional PutItem, with the record's index keys and retention; a first history entry
   * that carries a receipt goes in the same TransactWriteItems as an event item, so a text is
   * never stored without the receipt it was decided on.
   */
  async create(message: MessageRecord): Promise<boolean> {
    try {
      const puts = this.creationPuts(message);
      if (puts.length === 1) await this.client.send(new PutCommand(puts[0]!.Put));
      else await this.client.send(new TransactWriteCommand({ TransactItems: puts }));
      return true;
    } catch (error) {
      if (isConditionFailure(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')
        return false;
      throw error;
    }
  }

  /**
   * New records with their first history entries, atomically: one TransactWriteItems per 100
   * puts (an enrollment's 23 texts are 23: their first entries carry no receipt and sit on the items). No function may call
   * BatchWriteItem, which can delete (lib/permissions.ts); a transaction's puts need only PutItem.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
   */
  async createFresh(messages: MessageRecord[]): Promise<void> {
    const puts = messages.flatMap((message) => this.creationPuts(message));
    const calls: Promise<unknown>[] = [];
    for (let start = 0; start < puts.length; start += TRANSACT_WRITE_LIMIT)
      calls.push(
        this.client.send(
          new TransactWriteCommand({ TransactItems: puts.slice(start, start + TRANSACT_WRITE_LIMIT) }),
        ),
      );
    await Promise.all(calls);
  }

  /** The conditional Puts that create `message`: its item, then its first entries of recurring statuses. */
  private creationPuts(message: MessageRecord) {
    return [
      {
        Put: {
          TableName: this.table,
          Item: messageItem(message),
          ConditionExpression: 'attribute_not_exists(messageId)',
        },
      },
      ...eventItemsOf(message).map((event) => ({ Put: this.eventPut(event) })),
    ];
  }

  /**
   * One GetItem and one Query of its history, in parallel (strongly consistent); a received text
   * is not a message of this port's.
   */
  async get(messageId: string): Promise<MessageRecord | undefined> {
    if (isInboundId(messageId)) return undefined;
    const [item, events] = await Promise.all([this.rawItem(messageId), this.eventsOf(messageId)]);
    const record = fromMaybeItem<LoggedText>(item, events);
    return record === undefined || isInbound(record) ? undefined : record;
  }

  /**
   * One GetItem (strongly consistent), without the Query of its history; `whole()` is that Query
   * alone, once. A receipt the item does not carry is in a history entry left unread, so none is
   * derived from the entries the item keeps: the first one's would pass for the latest.
   */
  async head(messageId: string): Promise<MessageHead | undefined> {
    if (isInboundId(messageId)) return undefined;
    const item = await this.rawItem(messageId);
    return item === undefined ? undefined : this.headOf(messageId, item);
  }

  /** {@link head} of an item read elsewhere (the gate's batch), strongly consistent as `head` reads it. */
  headOf(messageId: string, item: Record<string, unknown>): MessageHead | undefined {
    if (isInboundId(messageId)) return undefined;
    const message = fromItem<LoggedText>(item);
    if (isInbound(message)) return undefined;
    if (item.receipt === undefined) delete message.receipt;
    let whole: Promise<MessageRecord> | undefined;
    return {
      message,
      whole: () =>
        (whole ??= this.eventsOf(messageId).then((events) => fromItem<MessageRecord>(item, events))),
    };
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
    return fromMaybeItem<LoggedText>(await this.rawItem(messageId));
  }

  private async rawItem(messageId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { messageId }, ConsistentRead: true }),
    );
    return Item;
  }

  /** A sent text's history items (one Query, strongly consistent, in entry order). */
  private async eventsOf(messageId: string): Promise<Record<string, unknown>[]> {
    return queryAll<Record<string, unknown>>(this.client, {
      TableName: this.events,
      KeyConditionExpression: 'messageId = :messageId',
      ExpressionAttributeValues: { ':messageId': messageId },
      ConsistentRead: true,
    });
  }

  private eventPut(event: Record<string, unknown>) {
    return eventPut(this.events, event);
  }

  /**
   * Status, `updatedAt` (= `change.at`), `changes` and the history entry move together, only from
   * one of the `from` statuses; undefined (nothing written) otherwise. A move into `sent` or a
   * final status is one conditional UpdateItem (its entry is an attribute of the item); a move
   * into a status that can recur is one TransactWriteItems: the item's update and the entry's
   * put-only event item. `releaseAt: null` is REMOVEd, and the message leaves the sparse due
   * index when it leaves `scheduled`.
   *
   * `known`: the message as the caller read it; the record returned is then it with this move,
   * without reading again (otherwise the message is read back).
   */
  async transition(
    messageId: string,
    from: readonly MessageStatus[],
    change: StatusChange,
    changes: MessageChanges = {},
    known?: MessageRecord,
  ): Promise<MessageRecord | undefined> {
    if (from.length === 0) return undefined;
    return this.move(transitionUpdate(this.table, messageId, from, change, changes), change, changes, known);
  }

  /** `queued → scheduled`, putting the step back in the due index at its `dueAt`. */
  async returnDue(
    step: MessageRecord,
    change: StatusChange & { status: 'scheduled' },
  ): Promise<MessageRecord | undefined> {
    if (step.dueAt === undefined) throw new Error(`returnDue: ${step.messageId} is not a drip step`);
    const update = transitionUpdate(
      this.table,
      step.messageId,
      ['queued'],
      change,
      {},
      { dueAt: step.dueAt },
    );
    return this.move(update, change, {}, step);
  }

  private async move(
    update: ReturnType<typeof transitionUpdate>,
    change: StatusChange,
    changes: MessageChanges,
    known: MessageRecord | undefined,
  ): Promise<MessageRecord | undefined> {
    const { messageId } = update.Key;
    try {
      if (ENTERED_ONCE.includes(change.status)) {
        const { Attributes } = await this.client.send(
          new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }),
        );
        if (known !== undefined) return movedRecord(known, change, changes);
        return fromMaybeItem<MessageRecord>(Attributes, await this.eventsOf(messageId));
      }
      // The entry is kept as long as the message: its item says how long, its history is not needed.
      const retained = known ?? (await this.item(messageId));
      if (retained === undefined) return undefined;
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: update },
            { Put: this.eventPut(eventItem(messageId, change, messageExpiry(retained))) },
          ],
        }),
      );
      return known === undefined ? this.get(messageId) : movedRecord(known, change, changes);
    } catch (error) {
      if (isConditionFailure(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')
        return undefined;
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
    if (!ENTERED_ONCE.includes(change.status))
      throw new Error(`recordCallback: ${change.status} is not a status Twilio's callbacks enter once`);
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
   * index `byPhone`, then the items (strongly consistent), 100 per BatchGetItem, the agent's kept.
   * One index serves both the phone and the contact: each text costs one index write less.
   */
  async listByContact(
    agentId: string,
    phone: string,
    options: { history?: boolean } = {},
  ): Promise<LoggedText[]> {
    const keys = await queryAll<{ messageId: string }>(this.client, {
      TableName: this.table,
      IndexName: 'byPhone',
      KeyConditionExpression: 'phone = :phone',
      ExpressionAttributeValues: { ':phone': phone },
    });
    return this.getMany(
      keys.map((key) => key.messageId),
      options.history ?? true,
      agentId,
    );
  }

  /**
   * The phone's keys-only `byPhone` entries, of which only the received texts (their id says so)
   * are read, without history: a contact's 22 drip steps are not fetched to find out when it
   * last wrote. One Query, and one BatchGetItem when the phone ever wrote.
   */
  async lastInboundAt(agentId: string, phone: string): Promise<string | undefined> {
    const keys = await queryAll<{ messageId: string }>(this.client, {
      TableName: this.table,
      IndexName: 'byPhone',
      KeyConditionExpression: 'phone = :phone',
      ExpressionAttributeValues: { ':phone': phone },
    });
    const received = keys.filter((key) => isInboundId(key.messageId)).map((key) => key.messageId);
    if (received.length === 0) return undefined;
    const items = await batchGetAll(this.client, {
      [this.table]: received.map((messageId) => ({ messageId })),
    });
    return (items.get(this.table) ?? [])
      .filter((item) => item.agentId === agentId)
      .map((item) => item.createdAt as string)
      .reduce<string | undefined>(
        (latest, at) => (latest === undefined || at > latest ? at : latest),
        undefined,
      );
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

  /** The items of `messageIds` in that order (strongly consistent), `agentId`'s only when given: one BatchGetItem per 100. */
  private async getMany(
    messageIds: readonly string[],
    withHistory = true,
    agentId?: string,
  ): Promise<LoggedText[]> {
    const items = await batchGetAll(this.client, {
      [this.table]: messageIds.map((messageId) => ({ messageId })),
    });
    // Another agent's texts to the same phone are dropped before their histories are read.
    const stored = (items.get(this.table) ?? []).filter(
      (item) => agentId === undefined || item.agentId === agentId,
    );
    const histories = await Promise.all(
      stored.map((item) =>
        item.kind === 'inbound' || !withHistory ? [] : this.eventsOf(item.messageId as string),
      ),
    );
    const found = new Map<string, LoggedText>();
    stored.forEach((item, i) =>
      found.set(item.messageId as string, fromItem<LoggedText>(item, histories[i])),
    );
    return messageIds.flatMap((messageId) => {
      const item = found.get(messageId);
      return item === undefined ? [] : [item];
    });
  }

  /**
   * One Query per release shard of the sparse `byRelease` index (eventually consistent), then
   * each held text's history.
   */
  async listHeldBefore(before: string): Promise<MessageRecord[]> {
    const held = await this.queryShards(
      'byRelease',
      RELEASE_SHARD_KEYS,
      'releaseShard = :shard AND releaseAt < :before',
      {
        ':before': before,
      },
    );
    const histories = await Promise.all(held.map((item) => this.eventsOf(item.messageId as string)));
    return held.map((item, i) => fromItem<MessageRecord>(item, histories[i]));
  }

  /**
   * One Query (and its pages) per due shard of `day` in the sparse `byDue` index, in parallel
   * (eventually consistent: a step claimed meanwhile may still show up, and its claim then
   * fails), earliest due first. The steps come without their history (the sweep moves them by
   * status; `get` has it).
   */
  async listDue(day: string, until: string): Promise<MessageRecord[]> {
    const items = await this.queryShards('byDue', dueShardsOf(day), 'dueShard = :shard AND dueAt <= :until', {
      ':until': until,
    });
    const steps = items.map((item) => fromItem<MessageRecord>(item));
    return steps.sort((a, b) => (a.dueAt! < b.dueAt! ? -1 : a.dueAt! > b.dueAt! ? 1 : 0));
  }

  private async queryShards(
    index: string,
    shards: readonly string[],
    condition: string,
    values: Record<string, string>,
  ): Promise<Record<string, unknown>[]> {
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
    return pages.flat();
  }
}

/**
 * The TransactWriteItems actions of a move, for a transaction of the caller's (the send claim
 * takes its cap slots in the same one): the message item's conditional update, and the event
 * item of a status that can recur, kept as long as the message (`kept`: what its retention counts
 * from). With `unchangedSince`, the move also needs the message not to have moved since then.
 */
export function moveActions(
  tables: { messages: string; messageEvents: string },
  messageId: string,
  from: readonly MessageStatus[],
  change: StatusChange,
  changes: MessageChanges,
  kept: Pick<MessageRecord, 'createdAt' | 'dueAt'>,
  unchangedSince?: string,
): { update: ReturnType<typeof transitionUpdate>; event?: Record<string, unknown> } {
  const update = transitionUpdate(tables.messages, messageId, from, change, changes, { unchangedSince });
  if (ENTERED_ONCE.includes(change.status)) return { update };
  const item = eventItem(messageId, change, messageExpiry(kept));
  return { update, event: eventPut(tables.messageEvents, item) };
}

/**
 * The Puts of a new message's first history entries (those of recurring statuses), for a
 * transaction of the caller's that creates the message item.
 */
export function firstEntryPuts(historyTable: string, record: MessageRecord) {
  return eventItemsOf(record).map((event) => eventPut(historyTable, event));
}

/** An event item's Put: never over an existing entry. */
function eventPut(table: string, event: Record<string, unknown>) {
  return {
    TableName: table,
    Item: event,
    ConditionExpression: 'attribute_not_exists(#entry)',
    ExpressionAttributeNames: { '#entry': 'entry' },
  };
}

/**
 * The conditional update `transition` sends, as parameters a TransactWriteItems `Update` action
 * accepts too (the send claim moves the status in the same transaction as the cap slots).
 * `from` must not be empty. Only a move into `scheduled` with the step's `dueAt` enters the due
 * index; every other move leaves it. `unchangedSince`: the move also needs `updatedAt` to be that
 * (the message has not moved since a decision read it).
 */
export function transitionUpdate(
  table: string,
  messageId: string,
  from: readonly MessageStatus[],
  change: StatusChange,
  changes: MessageChanges = {},
  guard: { dueAt?: string | undefined; unchangedSince?: string | undefined } = {},
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
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':to': change.status, ':at': change.at };
  const sets = ['#status = :to', 'updatedAt = :at'];
  // `sent` and the final statuses are entered once: their entry is a fixed attribute of the item.
  // Any other entry is an event item of its own, put in the same transaction (the store's).
  if (ENTERED_ONCE.includes(change.status)) {
    names['#entry'] = onceEntry(change.status);
    values[':change'] = change;
    sets.push('#entry = :change');
  }
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
  const { dueAt, unchangedSince } = guard;
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
  const conditions = [`#status IN (${allowed.join(', ')})`];
  if (unchangedSince !== undefined) {
    values[':unchangedSince'] = unchangedSince;
    conditions.push('updatedAt = :unchangedSince');
  }
  return {
    TableName: table,
    Key: { messageId },
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
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

/** `known` after a move the store wrote: what the update set, with `change` appended to its history. */
function movedRecord(known: MessageRecord, change: StatusChange, changes: MessageChanges): MessageRecord {
  const record: MessageRecord = {
    ...known,
    status: change.status,
    updatedAt: change.at,
    history: [...known.history, change],
  };
  for (const field of CHANGEABLE_FIELDS) {
    const value = changes[field];
    if (value === undefined) continue;
    if (value === null) delete record[field];
    else (record as Record<string, unknown>)[field] = value;
  }
  if (change.receipt !== undefined && changes.receipt === undefined) record.receipt = change.receipt;
  return record;
}
