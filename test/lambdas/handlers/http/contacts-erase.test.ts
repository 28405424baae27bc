import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomPhone, useHttpFixture } from './fixture';

const fx = useHttpFixture();

const onPhone = (phone: string, apiKey = fx.agent.apiKey) => ({ pathParameters: { phone }, apiKey });
const putContact = (phone: string, body: unknown, apiKey?: string) =>
  fx.request('contacts.put', { ...onPhone(phone, apiKey), body });
const erase = (phone: string, body: unknown, apiKey?: string) =>
  fx.request('contacts.erase', { ...onPhone(phone, apiKey), body });
const getContact = (phone: string) => fx.request('contacts.get', onPhone(phone));
const consentHistory = (phone: string) => fx.request('consent.history', onPhone(phone));
const contactMessages = (phone: string) => fx.request('contacts.messages', onPhone(phone));
const enroll = (phone: string) => fx.request('enroll.create', onPhone(phone));

const storedContact = async (phone: string, agentId = fx.agent.agentId) =>
  (await fx.db.send(new GetCommand({ TableName: fx.tables.contacts, Key: { agentId, phone } }))).Item;
const erasureRecords = async (phone: string, agentId = fx.agent.agentId) =>
  (
    await fx.db.send(
      new QueryCommand({
        TableName: fx.tables.erasures,
        KeyConditionExpression: 'agentId = :a AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':a': agentId, ':p': `${phone}#` },
      }),
    )
  ).Items ?? [];

const consentedContact = () =>
  fx.consentedContact(fx.agent.apiKey, {
    contact: {
      name: 'Sam Ortiz',
      state: 'NY',
      address: '12 Elm St, Albany',
      notes: 'daughter starts college in 2027',
    },
  });

describe('DELETE /v1/contacts/{phone}', () => {
  it('erases name, address and notes, records who, when and why, and keeps the rest', async () => {
    // prepare
    const phone = await consentedContact();
    const ledgerBefore = (await consentHistory(phone)).body;

    // act
    const reply = await erase(phone, {
      reason: 'asked by text on 2026-03-09 to be forgotten',
      by: 'Dana Reyes',
    });

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.erasure).toEqual({
      agentId: fx.agent.agentId,
      phone,
      at: fx.clock.now().toISOString(),
      by: 'Dana Reyes',
      reason: 'asked by text on 2026-03-09 to be forgotten',
      erased: ['name', 'address', 'notes'],
    });
    const item = await storedContact(phone);
    expect(item).toMatchObject({ phone, state: 'NY', erasedAt: fx.clock.now().toISOString() });
    for (const field of ['name', 'address', 'notes']) expect(item).not.toHaveProperty(field);
    const records = await erasureRecords(phone);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      by: 'Dana Reyes',
      reason: 'asked by text on 2026-03-09 to be forgotten',
    });
    expect((await consentHistory(phone)).body).toEqual(ledgerBefore);
  });

  it('shows the contact as erased on a later GET', async () => {
    // prepare
    const phone = await consentedContact();
    await erase(phone, { reason: 'email of 2026-03-09' });

    // act
    const reply = await getContact(phone);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.contact.erasedAt).toBe(fx.clock.now().toISOString());
    expect(reply.body.contact).not.toHaveProperty('name');
    expect(reply.body.consent.badge).toBeDefined();
  });

  it('stops an active cadence and keeps its message log', async () => {
    // prepare
    const phone = await consentedContact();
    expect((await enroll(phone)).status).toBe(201);
    const logged = (await contactMessages(phone)).body.messages.length;

    // act
    const reply = await erase(phone, { reason: 'asked in person' });

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.cancelled).toBeGreaterThan(0);
    expect(reply.body.contact.enrollment).toMatchObject({ status: 'stopped' });
    const after = (await contactMessages(phone)).body.messages;
    expect(after).toHaveLength(logged);
    expect(after.filter((m: { status: string }) => m.status === 'cancelled')).toHaveLength(
      reply.body.cancelled,
    );
  });

  it('refuses to store a name, address or notes again, and writes nothing', async () => {
    // prepare
    const phone = await consentedContact();
    await erase(phone, { reason: 'asked by text' });
    const before = await storedContact(phone);

    // act
    const refused = await putContact(phone, { name: 'Sam Ortiz', state: 'CA' });
    const allowed = await putContact(phone, { state: 'CA' });

    // assess
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('erased');
    expect(allowed.status).toBe(200);
    expect(await storedContact(phone)).toEqual({ ...before, state: 'CA', updatedAt: expect.any(String) });
  });

  it.each([
    ['no reason', {}, 400],
    ['an empty reason', { reason: '' }, 400],
    ['an unknown field', { reason: 'asked', everything: true }, 400],
  ])('answers %s with a 4xx naming the field and writes nothing', async (_label, body, status) => {
    // prepare
    const phone = await consentedContact();
    const before = await storedContact(phone);

    // act
    const reply = await erase(phone, body);

    // assess
    expect(reply.status).toBe(status);
    expect(reply.body.message).toMatch(/reason|everything/);
    expect(await storedContact(phone)).toEqual(before);
    expect(await erasureRecords(phone)).toEqual([]);
  });

  it('answers 409 for a contact erased already and records nothing more', async () => {
    // prepare
    const phone = await consentedContact();
    await erase(phone, { reason: 'first request' });

    // act
    const reply = await erase(phone, { reason: 'second request' });

    // assess
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('already_erased');
    expect(await erasureRecords(phone)).toHaveLength(1);
  });

  it('answers 404 for an unknown contact and another agent’s, writing nothing', async () => {
    // prepare
    const phone = await consentedContact();
    const other = await fx.newAgent();

    // act
    const unknown = await erase(randomPhone(), { reason: 'asked' });
    const foreign = await erase(phone, { reason: 'asked' }, other.apiKey);

    // assess
    expect([unknown.status, foreign.status]).toEqual([404, 404]);
    expect((await storedContact(phone))?.name).toBe('Sam Ortiz');
    expect(await erasureRecords(phone)).toEqual([]);
    expect(await erasureRecords(phone, other.agentId)).toEqual([]);
  });

  it('answers 403 agent_suspended for a suspended agent, writing nothing', async () => {
    // prepare
    const suspended = await fx.newAgent();
    const phone = randomPhone();
    await putContact(phone, { name: 'Lee Park' }, suspended.apiKey);
    await fx.suspend(suspended.agentId, 'billing');

    // act
    const reply = await erase(phone, { reason: 'asked' }, suspended.apiKey);

    // assess
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe('agent_suspended');
    expect((await storedContact(phone, suspended.agentId))?.name).toBe('Lee Park');
    expect(await erasureRecords(phone, suspended.agentId)).toEqual([]);
  });
});
