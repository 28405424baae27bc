import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Contact,
  InboundRecord,
  PhoneState,
  StopRead,
  StopStore,
  StopWrite,
  StopWriteResult,
} from '../../ports';
import { batchGetAll } from './batch-get';
import type { DynamoStoreOptions } from './document-client';
import { newLedgerEventId, linkedOptOut } from './ledger-store';
import { fromItem, messageItem } from './message-item';
import { firstEntryPuts } from './message-store';
import { newOptOutId } from './optout-store';
import { phoneAppendItems, STATE_ENTRY, withoutEntry, type TransactItem } from './phone-items';
import { blockKey } from './twilio-block-store';

export type StopStoreOptions = DynamoStoreOptions & { newId?: () => string; newOptOutId?: () => string };

type Part = 'inbound' | 'phone' | 'confirmation' | 'twilioBlock' | 'contact';

/**
 * The STOP webhook's one TransactWriteItems (see {@link StopWrite}) across the messages, ledger,
 * counters and contacts tables. The inbound log entry is put only if absent (`attribute_not_exists`
 * on `inbound_<MessageSid>`: Twilio's repeated webhooks), or over exactly the interrupted entry a
 * takeover read; the records link to the chain heads in the phone's derived state read with them,
 * and the state moves only from the version read; the confirmation's derived id is created once.
 * A refused part is reported by name and nothing at all is written.
 */
export class DynamoStopStore implements StopStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tables: DynamoStoreOptions['tables'];
  private readonly newId: () => string;
  private readonly newOptOutId: () => string;

  constructor(options: StopStoreOptions) {
    this.client = options.client;
    this.tables = options.tables;
    this.newId = options.newId ?? newLedgerEventId;
    this.newOptOutId = options.newOptOutId ?? newOptOutId;
  }

  /**
   * One strongly consistent BatchGetItem of the phone's derived state (its chain heads, opt-out
   * head and version) and the agent's contact: both keys are known, so one round trip reads both.
   */
  async read(phone: string, agentId: string): Promise<StopRead> {
    const found = await batchGetAll(this.client, {
      [this.tables.ledger]: [{ phone, entry: STATE_ENTRY }],
      [this.tables.contacts]: [{ agentId, phone }],
    });
    const [state] = found.get(this.tables.ledger) ?? [];
    const [contact] = found.get(this.tables.contacts) ?? [];
    return {
      ...(state === undefined ? {} : { state: withoutEntry<PhoneState>(state as { entry: string }) }),
      ...(contact === undefined ? {} : { contact: contact as Contact }),
    };
  }

  /** One TransactWriteItems; a refused log entry (a redelivery) is read back with one GetItem. */
  async record(write: StopWrite): Promise<StopWriteResult> {
    const { seen } = write;
    const parts: Part[] = [];
    const items: TransactItem[] = [];
    const add = (part: Part, item: TransactItem) => {
      parts.push(part);
      items.push(item);
    };

    add('inbound', { Put: this.inboundPut(write.inbound, write.replaces) });
    let records: ReturnType<typeof linkedOptOut> | undefined;
    if (write.optOut !== undefined) {
      records = linkedOptOut(
        {
          revocation: write.optOut.revocation,
          optOut: write.optOut.optOut,
          recordedAt: write.recordedAt,
          revocationId: this.newId(),
          optOutId: this.newOptOutId(),
        },
        seen.state?.chains[write.optOut.revocation.agentId],
        seen.state?.optOuts,
      );
      for (const item of phoneAppendItems(this.tables, seen.phone, seen.state, {
        ledger: [records.revocation],
        optOuts: [records.optOut],
      }))
        add('phone', item);
    } else if (seen.state !== undefined) {
      // Nothing to write for the phone, but the decision rests on the records read: none may have moved.
      add('phone', {
        ConditionCheck: {
          TableName: this.tables.ledger,
          Key: { phone: seen.phone, entry: STATE_ENTRY },
          ConditionExpression: 'version = :seen',
          ExpressionAttributeValues: { ':seen': seen.state.version },
        },
      });
    }
    if (write.confirmation !== undefined) {
      add('confirmation', {
        Put: {
          TableName: this.tables.messages,
          Item: messageItem(write.confirmation),
          ConditionExpression: 'attribute_not_exists(messageId)',
        },
      });
      // Its first history entry, put with it (a new key: only the item's condition can refuse).
      for (const Put of firstEntryPuts(this.tables.messageEvents, write.confirmation))
        add('confirmation', { Put });
    }
    if (write.twilioBlock !== undefined) {
      const block = write.twilioBlock;
      add('twilioBlock', {
        Put: {
          TableName: this.tables.counters,
          Item: { key: blockKey(block.sender, block.phone), ...block },
          // Kept only if nothing received later is stored (ISO instants order as strings).
          ConditionExpression: 'attribute_not_exists(#key) OR #at <= :at',
          ExpressionAttributeNames: { '#key': 'key', '#at': 'at' },
          ExpressionAttributeValues: { ':at': block.at },
        },
      });
    }
    if (write.rejectDoubleOptIn !== undefined) {
      const { agentId, phone } = write.rejectDoubleOptIn;
      add('contact', {
        Update: {
          TableName: this.tables.contacts,
          Key: { agentId, phone },
          UpdateExpression: 'SET doubleOptIn = :rejected',
          ConditionExpression: 'doubleOptIn.#status = :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':rejected': { status: 'rejected', updatedAt: write.recordedAt },
            ':sent': 'sent',
          },
        },
      });
    }

    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      return this.refusal(error, parts, write.inbound.messageId);
    }
    return records === undefined
      ? { kind: 'written' }
      : { kind: 'written', revocation: records.revocation, optOut: records.optOut };
  }

  private inboundPut(inbound: InboundRecord, replaces: InboundRecord | undefined) {
    return {
      TableName: this.tables.messages,
      Item: messageItem(inbound),
      ConditionExpression:
        replaces === undefined
          ? 'attribute_not_exists(messageId)'
          : '#status = :status AND updatedAt = :updatedAt',
      ExpressionAttributeNames: replaces === undefined ? undefined : { '#status': 'status' },
      ExpressionAttributeValues:
        replaces === undefined ? undefined : { ':status': replaces.status, ':updatedAt': replaces.updatedAt },
    };
  }

  private async refusal(
    error: TransactionCanceledException,
    parts: Part[],
    inboundId: string,
  ): Promise<StopWriteResult> {
    const reasons = error.CancellationReasons ?? [];
    const refused = (part: Part) =>
      reasons.some((reason, i) => parts[i] === part && reason.Code === 'ConditionalCheckFailed');
    if (refused('inbound')) {
      const inbound = await this.storedInbound(inboundId);
      // Gone between the refusal and the read: nothing is logged any more, so start over.
      return inbound === undefined ? { kind: 'moved' } : { kind: 'logged', inbound };
    }
    if (refused('phone') || refused('contact')) return { kind: 'moved' };
    if (refused('confirmation')) return { kind: 'confirmation_exists' };
    if (refused('twilioBlock')) return { kind: 'twilio_block_later' };
    const codes = reasons.map((reason) => reason.Code ?? 'None');
    if (codes.some((code) => code === 'TransactionConflict' || code === 'ThrottlingError'))
      return { kind: 'moved' };
    throw error;
  }

  private async storedInbound(messageId: string): Promise<InboundRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tables.messages, Key: { messageId }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem<InboundRecord>(Item);
  }
}
