import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  LineTypeRecord,
  NumberFacts,
  NumberStore,
  ReassignedCheckRecord,
  ReassignmentRecord,
} from '../../ports';
import { advancePhoneState } from '../../phone-state';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { DynamoTableStore } from './items';
import { appendToPhone, moveState, type PhoneStateTables } from './phone-items';
import { queryAll } from './query-all';

const REASSIGNED_CHECK = 'check#reassigned';

/** The key of a phone's cached reassigned-number answer, for reads by key (the gate's batch). */
export const reassignedCheckKey = (phone: string) => ({ phone, sk: REASSIGNED_CHECK });

/** The record of a stored reassigned-number answer. */
export function reassignedCheckOf(item: Record<string, unknown>): ReassignedCheckRecord {
  const { sk: _sk, ...record } = item;
  return record as unknown as ReassignedCheckRecord;
}
const LINE_TYPE = 'check#line_type';
const REASSIGNMENT = 'reassigned#';

type Item = { phone: string; sk: string; kind?: string } & Record<string, unknown>;

/**
 * Lookup answers and reassignments per phone in DynamoDB: one partition per phone, read with
 * one Query. Answers are overwritten by newer ones; reassignments are put once (conditional)
 * and never touched again.
 */
export class DynamoNumberStore extends DynamoTableStore implements NumberStore {
  private readonly ledgerTable: string;
  private readonly stateTables: PhoneStateTables;

  constructor(options: DynamoStoreOptions) {
    super(options, 'numbers');
    this.ledgerTable = options.tables.ledger;
    this.stateTables = { ledger: options.tables.ledger, counters: options.tables.counters };
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
      if (sk === REASSIGNED_CHECK) facts.reassignedCheck = reassignedCheckOf(item);
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

  /**
   * Puts the reassignment once and moves the phone's derived state (ledger table) in the same
   * transaction: one GetItem of the state + one TransactWriteItems. A second detection of the
   * same reassignment writes nothing and returns the first record.
   */
  async recordReassignment(draft: Omit<ReassignmentRecord, 'id'>): Promise<ReassignmentRecord> {
    const sk = `${REASSIGNMENT}${draft.at}`;
    const record: ReassignmentRecord = {
      ...draft,
      id: `rsg_${draft.phone.slice(1)}_${Date.parse(draft.at)}`,
    };
    const recorded = new Error('the reassignment is recorded already');
    try {
      return await appendToPhone(
        this.client,
        this.ledgerTable,
        draft.phone,
        (state) => ({
          items: [
            {
              Put: {
                TableName: this.table,
                Item: { ...record, sk },
                ConditionExpression: 'attribute_not_exists(sk)',
              },
            },
            ...moveState(
              this.stateTables,
              advancePhoneState(draft.phone, state, { reassignments: [record] }),
              state,
            ),
          ],
          result: record,
        }),
        { refused: (codes) => (codes[0] === 'ConditionalCheckFailed' ? recorded : undefined) },
      );
    } catch (error) {
      if (error !== recorded) throw error;
      const existing = (await this.facts(draft.phone)).reassignments.find((item) => item.at === draft.at);
      if (existing === undefined) throw error;
      return existing;
    }
  }
}

function ignoreConditionFailure(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}
