import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  LineTypeRecord,
  NumberFacts,
  NumberStore,
  ReassignedCheckRecord,
  ReassignmentRecord,
} from '../../ports';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { DynamoTableStore } from './items';
import { queryAll } from './query-all';

const REASSIGNED_CHECK = 'check#reassigned';
const LINE_TYPE = 'check#line_type';
const REASSIGNMENT = 'reassigned#';

type Item = { phone: string; sk: string; kind?: string } & Record<string, unknown>;

/**
 * Lookup answers and reassignments per phone in DynamoDB: one partition per phone, read with
 * one Query. Answers are overwritten by newer ones; reassignments are put once (conditional)
 * and never touched again.
 */
export class DynamoNumberStore extends DynamoTableStore implements NumberStore {
  constructor(options: DynamoStoreOptions) {
    super(options, 'numbers');
  }

  async facts(phone: string): Promise<NumberFacts> {
    const items = await queryAll<Item>(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'phone = :phone',
      ExpressionAttributeValues: { ':phone': phone },
      ConsistentRead: true,
    });
    const facts: NumberFacts = { reassignments: [] };
    for (const { sk, ...item } of items) {
      if (sk === REASSIGNED_CHECK) facts.reassignedCheck = item as unknown as ReassignedCheckRecord;
      else if (sk === LINE_TYPE) facts.lineType = item as unknown as LineTypeRecord;
      else if (sk.startsWith(REASSIGNMENT)) facts.reassignments.push(item as unknown as ReassignmentRecord);
    }
    return facts;
  }

  async saveReassignedCheck(record: ReassignedCheckRecord): Promise<void> {
    await this.client
      .send(
        new PutCommand({
          TableName: this.table,
          Item: { ...record, sk: REASSIGNED_CHECK },
          // Two workers checking at once: the newer answer stays.
          ConditionExpression: 'attribute_not_exists(sk) OR checkedAt <= :checkedAt',
          ExpressionAttributeValues: { ':checkedAt': record.checkedAt },
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async saveLineType(record: LineTypeRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...record, sk: LINE_TYPE } }));
  }

  async recordReassignment(draft: Omit<ReassignmentRecord, 'id'>): Promise<ReassignmentRecord> {
    const sk = `${REASSIGNMENT}${draft.at}`;
    const record: ReassignmentRecord = {
      ...draft,
      id: `rsg_${draft.phone.slice(1)}_${Date.parse(draft.at)}`,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...record, sk },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = (await this.facts(draft.phone)).reassignments.find((item) => item.at === draft.at);
      if (existing === undefined) throw error;
      return existing;
    }
  }
}

function ignoreConditionFailure(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}
