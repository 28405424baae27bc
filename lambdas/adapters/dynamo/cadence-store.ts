import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CadenceStore } from '../../ports';
import type { Cadence } from '../../rules/cadence';
import type { DynamoStoreOptions } from './document-client';
import { DynamoTableStore } from './items';

const cadenceKey = (agentId: string): string => `cadence#${agentId}`;

/** The accounts' own cadences: one item per agent in the `counters` table, without TTL. */
export class DynamoCadenceStore extends DynamoTableStore implements CadenceStore {
  constructor(options: DynamoStoreOptions) {
    super(options, 'counters');
  }

  /** One GetItem (strongly consistent). */
  async get(agentId: string): Promise<Cadence | undefined> {
    const item = await this.consistentGet<{ cadence?: Cadence }>({ key: cadenceKey(agentId) });
    return item?.cadence;
  }

  /** One PutItem; no TTL: the account's cadence lives until it is replaced. */
  async save(agentId: string, cadence: Cadence, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: { key: cadenceKey(agentId), cadence, savedAt: at } }),
    );
  }
}
