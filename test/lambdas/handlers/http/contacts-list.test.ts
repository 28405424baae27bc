import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { httpFixture, type HttpFixture } from './fixture';

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
let other: { agentId: string; apiKey: string };

// Distinct 305 numbers so phone order is known: 0101 < 0102 < … .
const phones = ['+13055550101', '+13055550102', '+13055550103', '+13055550104', '+13055550105'];
const names = ['José Álvarez', 'Ana Lopez', 'Sam Ortiz', 'Joseph Kim', 'Dana Reyes'];

const written = {
  type: 'express_written',
  method: 'signed_form',
  at: '2026-03-01T17:00:00Z',
  capturedBy: 'Dana Reyes',
  evidence: 'buyer agreement, signed',
};

beforeAll(async () => {
  fx = await httpFixture();
  agent = await fx.newAgent();
  other = await fx.newAgent();
  for (const [i, phone] of phones.entries()) {
    const put = await fx.request('contacts.put', {
      pathParameters: { phone },
      apiKey: agent.apiKey,
      body: { name: names[i], state: 'FL' },
    });
    if (put.status !== 201) throw new Error(`contact not created: ${JSON.stringify(put.body)}`);
  }
  // Another agent's contact that must never show up.
  await fx.request('contacts.put', {
    pathParameters: { phone: '+13055550199' },
    apiKey: other.apiKey,
    body: { name: 'José Secret' },
  });
  for (const phone of [phones[0], phones[2]]) {
    const appended = await fx.request('consent.append', {
      pathParameters: { phone: phone! },
      apiKey: agent.apiKey,
      body: written,
    });
    if (appended.status !== 201) throw new Error(`consent not logged: ${JSON.stringify(appended.body)}`);
  }
});

const list = (query: Record<string, string> = {}, apiKey = agent.apiKey) =>
  fx.request('contacts.list', { query, apiKey });

type Item = { contact: { phone: string; name?: string }; consent: { permits: { automated: boolean } } };

describe('GET /v1/contacts', () => {
  it('lists only the caller’s contacts in phone order, each with its consent', async () => {
    // act
    const reply = await list();

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((item: Item) => item.contact.phone)).toEqual(phones);
    expect(reply.body.nextCursor).toBeUndefined();
    const first = reply.body.items[0] as Item;
    expect(first.consent.permits.automated).toBe(true);
    expect((reply.body.items[1] as Item).consent.permits.automated).toBe(false);
  });

  it('pages with an opaque cursor, every contact exactly once', async () => {
    // act
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const reply = await list({ limit: '2', ...(cursor === undefined ? {} : { cursor }) });
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.items.map((item: Item) => item.contact.phone));
      cursor = reply.body.nextCursor;
      pages += 1;
    } while (cursor !== undefined && pages < 10);

    // assess
    expect(seen).toEqual(phones);
    expect(pages).toBe(3);
  });

  it.each([
    ['a name in another case without accents', 'ALVAREZ', ['+13055550101']],
    ['a name fragment shared by two', 'jos', ['+13055550101', '+13055550104']],
    ['digits of a phone in national form', '555-0103', ['+13055550103']],
    ['something nobody matches', 'zzz', []],
  ])('searches by %s', async (_label, q, expected) => {
    // act
    const reply = await list({ q });

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((item: Item) => item.contact.phone)).toEqual(expected);
  });

  it('filters by consent badge', async () => {
    // act
    const consented = await list({ badge: 'consented' });
    const none = await list({ badge: 'no_consent', limit: '1' });

    // assess
    expect(consented.body.items.map((item: Item) => item.contact.phone)).toEqual([phones[0], phones[2]]);
    expect(none.body.items.map((item: Item) => item.contact.phone)).toEqual([phones[1]]);
    const rest = await list({ badge: 'no_consent', cursor: none.body.nextCursor });
    expect(rest.body.items.map((item: Item) => item.contact.phone)).toEqual([phones[3], phones[4]]);
  });

  it.each([
    ['an unknown badge', { badge: 'maybe' }, 'query.badge'],
    ['a limit over 100', { limit: '101' }, 'query.limit'],
    ['a limit that is not a number', { limit: 'ten' }, 'query.limit'],
    ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }, 'query.cursor'],
    ['an unknown parameter', { sort: 'name' }, 'query.sort'],
  ])('answers 400 naming the field for %s', async (_label, query, field) => {
    // act
    const reply = await list(query);

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain(field);
  });

  it('reads the agent’s partition with a Query: another agent sees only its own', async () => {
    // act
    const reply = await list({ q: 'José' }, other.apiKey);

    // assess
    expect(reply.body.items.map((item: Item) => item.contact.phone)).toEqual(['+13055550199']);
    const stored = await fx.db.send(
      new QueryCommand({
        TableName: fx.tables.contacts,
        KeyConditionExpression: 'agentId = :a',
        ExpressionAttributeValues: { ':a': other.agentId },
      }),
    );
    expect(stored.Items).toHaveLength(1);
  });

  it('refuses the admin key (contacts belong to an agent)', async () => {
    // act
    const reply = await list({}, fx.adminKey);

    // assess
    expect(reply.status).toBe(403);
  });
});
