import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SweepCursorStore } from '../../ports';
import type { DynamoStoreOptions } from './document-client';
import { DynamoTableStore, writeIf } from './items';

const SWEEP_CURSOR_KEY = 'sweep#cursor';

/** The drip sweep's cursor: one item of the `counters` table, moved by conditional updates only. */
export class DynamoSweepCursorStore extends DynamoTableStore implements SweepCursorStore {
  constructor(options: DynamoStoreOptions) {
    super(options, 'counters');
  }

  /** One GetItem (strongly consistent). */
  async sweptThrough(): Promise<string | undefined> {
    const item = await this.consistentGet<{ day?: string }>({ key: SWEEP_CURSOR_KEY });
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
