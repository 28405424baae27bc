import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import {
  contactMessagesResponse,
  enrollmentStartedResponse,
  messageAuditPageResponse,
  messageResponse,
} from '../../../../lambdas/handlers/http/message-responses';
import { contactWithConsentResponse } from '../../../../lambdas/handlers/http/schemas';
import { newMessageRecord } from '../../../../lambdas/usecases/message-records';
import { FIXTURE_NOW, randomPhone, useHttpFixture, type Reply } from './fixture';

// What the message table keeps next to a record for its indexes and TTL.
const STORAGE_FIELDS = ['agentPhone', 'dueShard', 'releaseShard', 'expiresAt', 'leaseUntil'];

const fx = useHttpFixture();

/** Every key anywhere in `value`, nested objects and arrays included. */
function keysOf(value: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      keys.add(key);
      walk(child);
    }
  };
  walk(value);
  return keys;
}

const storageFieldsIn = (body: unknown): string[] =>
  STORAGE_FIELDS.filter((field) => keysOf(body).has(field));

/** Top-level keys of each message that its response schema does not document. */
function undocumented(messages: Record<string, unknown>[], schema: z.ZodObject): string[] {
  const documented = new Set(Object.keys(schema.shape));
  return messages.flatMap((message) => Object.keys(message).filter((key) => !documented.has(key)));
}

const storedItem = async (messageId: string) =>
  (await fx.db.send(new GetCommand({ TableName: fx.tables.messages, Key: { messageId } }))).Item;

async function enrolledContact(): Promise<{ phone: string; enrolled: Reply }> {
  const phone = await fx.consentedContact(fx.agent.apiKey);
  const enrolled = await fx.request('enroll.create', { pathParameters: { phone }, apiKey: fx.agent.apiKey });
  return { phone, enrolled };
}

describe('API responses carry no storage fields', () => {
  it('answers an enrollment, the conversation, a message and the audit export without them', async () => {
    // prepare
    const { phone, enrolled } = await enrolledContact();
    const step = enrolled.body.steps[0] as { messageId: string };
    const apiKey = fx.agent.apiKey;
    const ofContact = { pathParameters: { phone }, apiKey };
    const ofStep = { pathParameters: { id: step.messageId }, apiKey };

    // act
    const conversation = await fx.request('contacts.messages', ofContact);
    const message = await fx.request('messages.get', ofStep);
    const edited = await fx.request('messages.edit', {
      ...ofStep,
      body: { body: 'Hi {firstName}, a spring tip: clean the dryer vent.' },
    });
    const audit = await fx.request('audit.messages', { query: { phone }, apiKey });
    const contact = await fx.request('contacts.get', ofContact);

    // assess: the store does keep them…
    expect(Object.keys((await storedItem(step.messageId)) ?? {})).toEqual(
      expect.arrayContaining(['agentPhone', 'dueShard', 'expiresAt']),
    );
    // …and no answer shows them; each is what its schema documents
    for (const reply of [enrolled, conversation, message, edited, audit, contact]) {
      expect(reply.status).toBeLessThan(300);
      expect(storageFieldsIn(reply.body)).toEqual([]);
    }
    expect(enrollmentStartedResponse.safeParse(enrolled.body).success).toBe(true);
    expect(contactMessagesResponse.safeParse(conversation.body).success).toBe(true);
    expect(messageResponse.safeParse(message.body).success).toBe(true);
    expect(messageAuditPageResponse.safeParse(audit.body).success).toBe(true);
    expect(contactWithConsentResponse.safeParse(contact.body).success).toBe(true);
    expect(undocumented([message.body, edited.body.message, ...audit.body.items], messageResponse)).toEqual(
      [],
    );
    expect(audit.body.items.length).toBe(enrolled.body.steps.length + 1);
  });

  it('answers a held message without its release index key', async () => {
    // prepare
    const record = newMessageRecord({
      agentId: fx.agent.agentId,
      phone: randomPhone(),
      kind: 'manual',
      purpose: 'manual',
      body: 'Hi, it is Dana.',
      at: new Date(FIXTURE_NOW),
    });
    await fx.deps.stores.messages.create(record);
    await fx.deps.stores.messages.transition(
      record.messageId,
      ['queued'],
      { status: 'held', at: FIXTURE_NOW, reasons: ['quiet hours'] },
      { releaseAt: '2026-03-11T13:00:00.000Z' },
    );

    // act
    const reply = await fx.request('messages.get', {
      pathParameters: { id: record.messageId },
      apiKey: fx.agent.apiKey,
    });

    // assess
    expect((await storedItem(record.messageId))?.releaseShard).toBeDefined();
    expect(reply.body).toMatchObject({ status: 'held', releaseAt: '2026-03-11T13:00:00.000Z' });
    expect(storageFieldsIn(reply.body)).toEqual([]);
  });
});
