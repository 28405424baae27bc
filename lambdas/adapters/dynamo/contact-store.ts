import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  ERASED_FIELDS,
  type ConsentRequestState,
  type Contact,
  type ContactErasure,
  type ContactFields,
  type ContactStore,
  type DoubleOptInStatus,
  type Enrollment,
} from '../../ports';
import { queryAll } from './query-all';
import { isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { DynamoTableStore } from './items';

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
  lineType: true,
} satisfies Record<keyof ContactFields, true>) as (keyof ContactFields)[];

/**
 * Contacts in DynamoDB, one item per (agent, phone). Descriptive fields are merged in place;
 * enrollment and double opt-in state are written separately so an upsert never clobbers them.
 */
export class DynamoContactStore extends DynamoTableStore implements ContactStore {
  private readonly erasureTable: string;

  constructor(options: DynamoStoreOptions) {
    super(options, 'contacts');
    this.erasureTable = options.tables.erasures;
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
    clear: readonly (keyof ContactFields)[] = [],
  ): Promise<{ contact: Contact; created: boolean }> {
    const given = DESCRIPTIVE_FIELDS.filter((field) => fields[field] !== undefined).map(
      (field) => [field, fields[field]] as const,
    );
    const removed = DESCRIPTIVE_FIELDS.filter(
      (field) => clear.includes(field) && fields[field] === undefined,
    );
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':at': at };
    const sets = ['createdAt = if_not_exists(createdAt, :at)', 'updatedAt = :at'];
    given.forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    removed.forEach((field, i) => (names[`#c${i}`] = field));
    const remove = removed.length === 0 ? '' : ` REMOVE ${removed.map((_, i) => `#c${i}`).join(', ')}`;
    // An erased contact's personal details stay erased: only a new contact may bring them back.
    const personal = given.some(([field]) => (ERASED_FIELDS as readonly string[]).includes(field));
    const { Attributes } = await this.client
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { agentId, phone },
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ...(personal ? { ConditionExpression: 'attribute_not_exists(erasedAt)' } : {}),
          ExpressionAttributeNames: Object.keys(names).length === 0 ? undefined : names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
        throw new ConflictError(
          `the contact ${phone} was erased at their request; ${ERASED_FIELDS.join(', ')} may not be stored again`,
        );
      });
    const before = Attributes as Contact | undefined;
    const kept = Object.fromEntries(
      Object.entries(before ?? {}).filter(([key]) => !removed.includes(key as keyof ContactFields)),
    );
    const contact: Contact = {
      ...kept,
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
    return this.consistentGet<Contact>({ agentId, phone });
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

  // ---------- erasure at the contact's request (usecases/erase-contact.ts) ----------

  /**
   * One TransactWriteItems: the contact loses its personal fields and gets `erasedAt` (only if it
   * exists and is not erased yet), and the erasure record is put (never over another one).
   */
  async erase(erasure: ContactErasure): Promise<'done' | 'missing' | 'erased'> {
    const { agentId, phone, at } = erasure;
    const names = Object.fromEntries(ERASED_FIELDS.map((field, i) => [`#e${i}`, field]));
    const codes = await this.transactIf([
      {
        Update: {
          TableName: this.table,
          Key: { agentId, phone },
          UpdateExpression: `SET erasedAt = :at, updatedAt = :at REMOVE ${Object.keys(names).join(', ')}`,
          ConditionExpression: 'attribute_exists(phone) AND attribute_not_exists(erasedAt)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':at': at },
        },
      },
      {
        Put: {
          TableName: this.erasureTable,
          Item: { ...erasure, sk: erasureKey(phone, at) },
          ConditionExpression: 'attribute_not_exists(sk)',
        },
      },
    ]);
    if (codes === undefined) return 'done';
    const contact = await this.get(agentId, phone);
    return contact === undefined ? 'missing' : 'erased';
  }

  /** One Query (paged) of the agent's partition from `<phone>#`. */
  async erasures(agentId: string, phone: string): Promise<ContactErasure[]> {
    const items = await queryAll<ContactErasure & { sk: string }>(this.client, {
      TableName: this.erasureTable,
      KeyConditionExpression: 'agentId = :agentId AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':agentId': agentId, ':prefix': `${phone}#` },
      ConsistentRead: true,
    });
    return items.map(({ sk: _key, ...erasure }) => erasure);
  }

  // ---------- enrollment claim (usecases/enroll.ts) ----------

  /**
   * One conditional UpdateItem: writes `enrollment` only when the contact exists and has no
   * active enrollment, so two concurrent enrollments cannot both start a cadence.
   */
  async claimEnrollment(agentId: string, phone: string, enrollment: Enrollment): Promise<boolean> {
    return this.updateIf({
      Key: { agentId, phone },
      UpdateExpression: 'SET enrollment = :enrollment',
      ConditionExpression:
        'attribute_exists(phone) AND (attribute_not_exists(enrollment) OR enrollment.#status <> :active)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':enrollment': enrollment, ':active': 'active' },
    });
  }

  // ---------- consent request (usecases/consent-request.ts) ----------

  /**
   * One conditional UpdateItem: records the request only when the contact exists and its last
   * request was sent at or before `sentBefore`, was blocked, or there is none, so two concurrent
   * requests cannot both go.
   */
  async claimConsentRequest(
    agentId: string,
    phone: string,
    request: ConsentRequestState,
    sentBefore: string,
  ): Promise<boolean> {
    return this.updateIf({
      Key: { agentId, phone },
      UpdateExpression: 'SET consentRequest = :request',
      ConditionExpression:
        'attribute_exists(phone) AND (attribute_not_exists(consentRequest) OR consentRequest.sentAt <= :before OR consentRequest.blocked = :true)',
      ExpressionAttributeValues: { ':request': request, ':before': sentBefore, ':true': true },
    });
  }

  /** One conditional UpdateItem; throws when the contact does not exist. */
  async setConsentRequest(agentId: string, phone: string, request: ConsentRequestState): Promise<void> {
    await this.setExisting(agentId, phone, 'consentRequest', request);
  }

  private async setExisting(agentId: string, phone: string, field: string, value: unknown): Promise<void> {
    const written = await this.updateIf({
      Key: { agentId, phone },
      UpdateExpression: 'SET #field = :value',
      ConditionExpression: 'attribute_exists(phone)',
      ExpressionAttributeNames: { '#field': field },
      ExpressionAttributeValues: { ':value': value },
    });
    if (!written) throw new Error(`no contact ${phone} for agent ${agentId}`);
  }
}

function erasureKey(phone: string, at: string): string {
  return `${phone}#${at}`;
}
