import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SweepCursorStore } from '../../ports';
import type { DynamoStoreOptions } from './document-client';
import { getItem, writeIf } from './items';

const SWEEP_CURSOR_KEY = 'sweep#cursor';

/** The drip sweep's cursor: one item of the `counters` table, moved by conditional updates only. */
export class DynamoSweepCursorStore implements SweepCursorStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tables.counters;
  }

  /** One GetItem (strongly consistent). */
  async sweptThrough(): Promise<string | undefined> {
    const item = await getItem<{ day?: string }>(this.client, this.table, { key: SWEEP_CURSOR_KEY });
    return item?.day;
  }

  /** One conditional UpdateItem; a later day stored already (another sweep got further) is not an error. */
  async advance(day: string): Promise<void> {
    await this.setDay(day, 'attribute_not_exists(#day) OR #day < :day');
  }

  /** One conditional UpdateItem; a cursor stored already (a sweep has run) is left as it is. */
  async startAfter(day: string): Promise<void> {
    await this.setDay(day, 'attribute_not_exists(#day)');
  }

  private async setDay(day: string, condition: string): Promise<void> {
    await writeIf(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { key: SWEEP_CURSOR_KEY },
          UpdateExpression: 'SET #day = :day',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': day },
        }),
      ),
    );
  }
}
