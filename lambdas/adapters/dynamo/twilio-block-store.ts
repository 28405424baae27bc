import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TwilioBlock, TwilioBlockStore } from '../../ports';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';

/** The counters item of Twilio's block of one sender for one phone. */
export const blockKey = (sender: string, phone: string): string => `twilioblock#${sender}#${phone}`;

/**
 * ConsentLine's copy of Twilio's per-sender block list: one small state item per (sender, phone)
 * in the `counters` table, never expiring. The history of changes is the inbound message log.
 */
export class DynamoTwilioBlockStore implements TwilioBlockStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tables.counters;
  }

  /** One conditional PutItem: kept only if nothing received later is stored (ISO instants order as strings). */
  async record(block: TwilioBlock): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { key: blockKey(block.sender, block.phone), ...block },
          ConditionExpression: 'attribute_not_exists(#key) OR #at <= :at',
          ExpressionAttributeNames: { '#key': 'key', '#at': 'at' },
          ExpressionAttributeValues: { ':at': block.at },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw error;
    }
  }

  /** One GetItem (strongly consistent: a STOP a moment ago counts). */
  async get(sender: string, phone: string): Promise<TwilioBlock | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { key: blockKey(sender, phone) },
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    const { key: _key, ...block } = Item as TwilioBlock & { key: string };
    return block;
  }
}
