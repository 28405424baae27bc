import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CadenceStore } from '../../ports';
import type { Cadence } from '../../rules/cadence';
import type { DynamoStoreOptions } from './document-client';
import { getItem } from './items';

const cadenceKey = (agentId: string): string => `cadence#${agentId}`;

/** The accounts' own cadences: one item per agent in the `counters` table, without TTL. */
export class DynamoCadenceStore implements CadenceStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tables.counters;
  }

  /** One GetItem (strongly consistent). */
  async get(agentId: string): Promise<Cadence | undefined> {
    const item = await getItem<{ cadence?: Cadence }>(this.client, this.table, { key: cadenceKey(agentId) });
    return item?.cadence;
  }

  /** One PutItem; no TTL: the account's cadence lives until it is replaced. */
  async save(agentId: string, cadence: Cadence, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: { key: cadenceKey(agentId), cadence, savedAt: at } }),
    );
  }
}
