import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Contact, ContactFields, ContactStore, DoubleOptInStatus, Enrollment } from '../../ports';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';

// Every descriptive field, checked complete by the compiler: an upsert writes these and nothing
// else, whatever extra keys a caller's object carries.
const DESCRIPTIVE_FIELDS = Object.keys({
  name: true,
  state: true,
  postalCode: true,
  timeZone: true,
  closingDate: true,
  address: true,
  notes: true,
} satisfies Record<keyof ContactFields, true>) as (keyof ContactFields)[];

/**
 * Contacts in DynamoDB, one item per (agent, phone). Descriptive fields are merged in place;
 * enrollment and double opt-in state are written separately so an upsert never clobbers them.
 */
export class DynamoContactStore implements ContactStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tables.contacts;
  }

  /**
   * One UpdateItem. Sets the fields given (an `undefined` field is left as stored), keeps the
   * first `createdAt`, sets `updatedAt`. The write returns the item as it was before (ALL_OLD),
   * which tells new from existing without a race, and the new contact is that item plus this
   * write's SETs.
   */
  async upsert(
    agentId: string,
    phone: string,
    fields: ContactFields,
    at: string,
  ): Promise<{ contact: Contact; created: boolean }> {
    const given = DESCRIPTIVE_FIELDS.filter((field) => fields[field] !== undefined).map(
      (field) => [field, fields[field]] as const,
    );
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':at': at };
    const sets = ['createdAt = if_not_exists(createdAt, :at)', 'updatedAt = :at'];
    given.forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { agentId, phone },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: given.length === 0 ? undefined : names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = Attributes as Contact | undefined;
    const contact: Contact = {
      ...before,
      ...(Object.fromEntries(given) as ContactFields),
      agentId,
      phone,
      createdAt: before?.createdAt ?? at,
      updatedAt: at,
    };
    return { contact, created: before === undefined };
  }

  /** One GetItem (strongly consistent). */
  async get(agentId: string, phone: string): Promise<Contact | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { agentId, phone }, ConsistentRead: true }),
    );
    return Item as Contact | undefined;
  }

  /** One conditional UpdateItem; throws when the contact does not exist (it is never half-created). */
  async setEnrollment(agentId: string, phone: string, enrollment: Enrollment): Promise<void> {
    await this.setExisting(agentId, phone, 'enrollment', enrollment);
  }

  /** One conditional UpdateItem; throws when the contact does not exist. */
  async setDoubleOptIn(agentId: string, phone: string, status: DoubleOptInStatus, at: string): Promise<void> {
    await this.setExisting(agentId, phone, 'doubleOptIn', { status, updatedAt: at });
  }

  /**
   * One Query on the agent's partition (never a Scan), in phone order. DynamoDB may stop a
   * page early (1 MB); `last` is then still set, so a caller continues until it is absent.
   */
  async listPage(
    agentId: string,
    page: { after?: string; limit: number },
  ): Promise<{ items: Contact[]; last?: string }> {
    const { Items, LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'agentId = :agentId',
        ExpressionAttributeValues: { ':agentId': agentId },
        ExclusiveStartKey: page.after === undefined ? undefined : { agentId, phone: page.after },
        Limit: page.limit,
      }),
    );
    const items = (Items ?? []) as Contact[];
    const last = LastEvaluatedKey === undefined ? undefined : (LastEvaluatedKey.phone as string);
    return last === undefined ? { items } : { items, last };
  }

  // ---------- enrollment claim (usecases/enroll.ts) ----------

  /**
   * One conditional UpdateItem: writes `enrollment` only when the contact exists and has no
   * active enrollment, so two concurrent enrollments cannot both start a cadence.
   */
  async claimEnrollment(agentId: string, phone: string, enrollment: Enrollment): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { agentId, phone },
          UpdateExpression: 'SET enrollment = :enrollment',
          ConditionExpression:
            'attribute_exists(phone) AND (attribute_not_exists(enrollment) OR enrollment.#status <> :active)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':enrollment': enrollment, ':active': 'active' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async setExisting(agentId: string, phone: string, field: string, value: unknown): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { agentId, phone },
          UpdateExpression: 'SET #field = :value',
          ConditionExpression: 'attribute_exists(phone)',
          ExpressionAttributeNames: { '#field': field },
          ExpressionAttributeValues: { ':value': value },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new Error(`no contact ${phone} for agent ${agentId}`);
      throw error;
    }
  }
}
