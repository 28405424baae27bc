import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { httpFixture, nationalForm, randomPhone, type HttpFixture } from './fixture';

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
beforeAll(async () => {
  fx = await httpFixture();
  agent = await fx.newAgent();
});

const putContact = (phone: string, body: unknown, apiKey = agent.apiKey) =>
  fx.request('contacts.put', { pathParameters: { phone }, apiKey, body });
const getContact = (phone: string, apiKey = agent.apiKey) =>
  fx.request('contacts.get', { pathParameters: { phone }, apiKey });

describe('PUT /v1/contacts/{phone}', () => {
  it('creates a contact given in national form and stores it under E.164', async () => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await putContact(nationalForm(phone), {
      name: 'Sam Ortiz',
      state: 'fl',
      postalCode: '33101',
      timeZone: 'US/Eastern',
      closingDate: '2026-06-30',
    });

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      agentId: agent.agentId,
      phone,
      state: 'FL',
      timeZone: 'America/New_York',
    });
    const { Item } = await fx.db.send(
      new GetCommand({ TableName: fx.tables.contacts, Key: { agentId: agent.agentId, phone } }),
    );
    expect(Item).toMatchObject({ phone, name: 'Sam Ortiz', closingDate: '2026-06-30' });
  });

  it('clears a field given as null, keeps absent ones, and stores no null', async () => {
    // prepare
    const phone = randomPhone();
    await putContact(phone, { name: 'Sam', notes: 'met at open house', address: '1 Main St' });

    // act
    const reply = await putContact(phone, { notes: null, address: null });

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe('Sam');
    expect(reply.body).not.toHaveProperty('notes');
    expect(reply.body).not.toHaveProperty('address');
    const { Item } = await fx.db.send(
      new GetCommand({ TableName: fx.tables.contacts, Key: { agentId: agent.agentId, phone } }),
    );
    expect(Item).toMatchObject({ name: 'Sam' });
    expect(Item).not.toHaveProperty('notes');
    expect(Item).not.toHaveProperty('address');
  });

  it('updates the given fields and keeps the others', async () => {
    // prepare
    const phone = randomPhone();
    await putContact(phone, { name: 'Sam', notes: 'met at open house' });

    // act
    const reply = await putContact(phone, { name: 'Samuel' });

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ name: 'Samuel', notes: 'met at open house' });
  });

  it.each([
    ['an unknown state', { state: 'XX' }, 'body.state'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone'],
    ['a closing date before 1990', { closingDate: '1887-01-01' }, 'body.closingDate'],
    ['a date that does not exist', { closingDate: '2026-02-30' }, 'body.closingDate'],
    ['a postal code that is not a ZIP', { postalCode: 'ABCDE' }, 'body.postalCode'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'body.name'],
    ['a number as name', { name: 42 }, 'body.name'],
    ['a lone surrogate in a name', { name: 'Sam \ud800' }, 'body.name'],
    ['a misspelt field', { nmae: 'typo' }, 'body.nmae'],
    ['an array as body', [], 'body'],
  ])('answers 400 naming the field for %s and writes nothing', async (_label, body, field) => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await putContact(phone, body);

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_request');
    expect(reply.body.message.startsWith(`${field}: `)).toBe(true);
    expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
  });

  it('answers 400 naming the path for a phone that is not a number', async () => {
    // act
    const reply = await putContact('555-12', { name: 'Sam' });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^path\.phone: /);
  });

  it('answers 400 "body is not valid JSON" for malformed JSON', async () => {
    // act
    const reply = await fx.request('contacts.put', {
      pathParameters: { phone: randomPhone() },
      apiKey: agent.apiKey,
      rawBody: '{"name": "Sam",',
    });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body is not valid JSON/);
  });

  it.each([false, true])('answers 413 for a 1 MB body (base64: %s)', async (isBase64Encoded) => {
    // prepare
    const json = JSON.stringify({ notes: 'x'.repeat(1024 * 1024) });
    const rawBody = isBase64Encoded ? Buffer.from(json).toString('base64') : json;
    const phone = randomPhone();

    // act
    const reply = await fx.request('contacts.put', {
      pathParameters: { phone },
      apiKey: agent.apiKey,
      rawBody,
      isBase64Encoded,
    });

    // assess
    expect(reply.status).toBe(413);
    expect(reply.body.message).toContain('limit');
    expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
  });

  it('reads a base64-encoded JSON body', async () => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await fx.request('contacts.put', {
      pathParameters: { phone },
      apiKey: agent.apiKey,
      rawBody: Buffer.from(JSON.stringify({ name: 'Zoë' })).toString('base64'),
      isBase64Encoded: true,
    });

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.name).toBe('Zoë');
  });

  it('answers 401 without a key', async () => {
    // act
    const reply = await fx.request('contacts.put', {
      pathParameters: { phone: randomPhone() },
      body: { name: 'Sam' },
    });

    // assess
    expect(reply.status).toBe(401);
  });

  it('accepts the Authorization header name and scheme in any case', async () => {
    // act
    const reply = await fx.request('contacts.put', {
      pathParameters: { phone: randomPhone() },
      headers: { AUTHORIZATION: `bearer ${agent.apiKey}` },
      body: {},
    });

    // assess
    expect(reply.status).toBe(201);
  });

  it('refuses the admin key', async () => {
    // act
    const reply = await putContact(randomPhone(), { name: 'Sam' }, fx.adminKey);

    // assess
    expect(reply.status).toBe(403);
  });
});

describe('GET /v1/contacts/{phone}', () => {
  it('returns the contact with consent status none when nothing is on the ledger', async () => {
    // prepare
    const phone = randomPhone();
    await putContact(phone, { name: 'Sam' });

    // act
    const reply = await getContact(nationalForm(phone));

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.contact).toMatchObject({ phone, name: 'Sam' });
    expect(reply.body.consent).toEqual({
      badge: 'no_consent',
      permits: { automated: false, manual: false, consentRequest: false },
      reason: expect.stringContaining('No consent in force'),
    });
  });

  it('answers 404 to another agent reading a contact, without revealing it exists', async () => {
    // prepare
    const phone = randomPhone();
    await putContact(phone, { name: 'Sam' });
    const other = await fx.newAgent();

    // act
    const reply = await getContact(phone, other.apiKey);
    const unknown = await getContact(randomPhone(), other.apiKey);

    // assess
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ ...unknown.body, message: expect.any(String) });
    expect(reply.body.message).not.toContain(agent.agentId);
  });
});
