import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { hashApiKey } from '../../../../lambdas/usecases/api-keys';
import { bearer } from '../../../support/http-events';
import { httpFixture, nationalForm, randomPhone, type HttpFixture } from './fixture';

let fx: HttpFixture;
beforeAll(async () => {
  fx = await httpFixture();
});

const createAgent = (body: unknown, headers = bearer(fx.adminKey)) =>
  fx.call('agents.create', { method: 'POST', path: '/v1/agents', headers, body });

describe('POST /v1/agents: the name and brokerage open every text', () => {
  it.each([
    ['a link', { name: 'Dana https://bit.ly/x' }, 'body.name', /web address \(https:\/\/bit\.ly\/x\)/],
    ['a bare domain', { brokerage: 'harbor-realty.com' }, 'body.brokerage', /web address/],
    ['the keyword STOP', { name: 'Evil STOP' }, 'body.name', /keyword STOP/],
    ['the keyword HELP in any case', { brokerage: 'help desk realty' }, 'body.brokerage', /keyword HELP/],
    ['a SHAFT term', { brokerage: 'Vape Shop Realty' }, 'body.brokerage', /SHAFT: tobacco/],
    ['an emoji', { name: 'Dana 🏡' }, 'body.name', /emoji/],
    ['a name over 60 characters', { name: 'D'.repeat(61) }, 'body.name', /at most 60 characters/],
    ['a one-letter name', { name: 'D' }, 'body.name', /at least 2 characters/],
    ['no letter at all', { brokerage: '123' }, 'body.brokerage', /with a letter/],
  ])('answers 400 naming the field for %s, and creates no agent', async (_label, override, field, rule) => {
    // prepare
    const senderNumber = randomPhone();

    // act
    const reply = await createAgent({
      name: 'Dana Reyes',
      brokerage: 'Harbor Realty',
      senderNumber,
      forwardTo: randomPhone(),
      ...override,
    });

    // assess
    expect(reply.status).toBe(400);
    const issue = reply.body.issues.find((i: { path: string }) => i.path === field);
    expect(issue?.message).toMatch(rule);
    expect(await fx.deps.stores.agents.findBySenderNumber(senderNumber)).toBeUndefined();
  });

  it('accepts real names with accents, apostrophes and hyphens', async () => {
    // act
    const reply = await createAgent({
      name: 'José O’Neill-Pérez',
      brokerage: 'Château & Söhne Realty',
      senderNumber: randomPhone(),
      forwardTo: randomPhone(),
    });

    // assess
    expect(reply.status).toBe(201);
  });
});

describe('POST /v1/agents', () => {
  it('creates an agent and shows its API key once, storing only the key hash', async () => {
    // prepare
    const senderNumber = randomPhone();
    const forwardTo = randomPhone();

    // act
    const reply = await createAgent({
      name: 'Dana Reyes',
      brokerage: 'Harbor Realty',
      senderNumber: nationalForm(senderNumber),
      forwardTo,
    });

    // assess
    expect(reply.status).toBe(201);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body.apiKey).toMatch(/^cl_live_[A-Za-z0-9_-]{43}$/);
    expect(reply.body.agent).toMatchObject({ senderNumber, forwardTo, doubleOptIn: false, suspended: false });
    const { Item } = await fx.db.send(
      new GetCommand({ TableName: fx.tables.agents, Key: { agentId: reply.body.agentId } }),
    );
    expect(Item?.apiKeyHash).toBe(hashApiKey(reply.body.apiKey));
    expect(JSON.stringify(Item)).not.toContain(reply.body.apiKey);
  });

  it('lets the new key act as that agent', async () => {
    // prepare
    const { apiKey } = await fx.newAgent();

    // act
    const reply = await fx.call('ledger.verify', {
      method: 'GET',
      path: '/v1/ledger/verify',
      query: { phone: randomPhone() },
      headers: bearer(apiKey),
    });

    // assess
    expect(reply.status).toBe(200);
  });

  it('answers 409 when the sender number already belongs to an agent', async () => {
    // prepare
    const { senderNumber } = await fx.newAgent();

    // act
    const reply = await createAgent({
      name: 'Bo Li',
      brokerage: 'Bay Homes',
      senderNumber,
      forwardTo: randomPhone(),
    });

    // assess
    expect(reply.status).toBe(409);
    expect(reply.body.message).toContain('senderNumber');
  });

  it('names an unknown field and writes nothing', async () => {
    // prepare
    const senderNumber = randomPhone();

    // act
    const reply = await createAgent({
      name: 'Al Ng',
      brokerage: 'Bay Homes',
      senderNumber,
      forwardTo: randomPhone(),
      doubleOptin: true,
    });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      error: 'invalid_request',
      message: 'body.doubleOptin: unknown field',
    });
    expect(await fx.deps.stores.agents.findBySenderNumber(senderNumber)).toBeUndefined();
  });

  it('names an invalid sender number', async () => {
    // act
    const reply = await createAgent({
      name: 'Al Ng',
      brokerage: 'Bay Homes',
      senderNumber: '555-1234',
      forwardTo: randomPhone(),
    });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body\.senderNumber: .*not a valid phone number/);
  });

  it('refuses a forwarding number equal to the sender number', async () => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await createAgent({
      name: 'Al Ng',
      brokerage: 'Bay Homes',
      senderNumber: phone,
      forwardTo: phone,
    });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body\.forwardTo: /);
  });

  it('answers 401 without a key and with an unknown key, 403 with an agent key', async () => {
    // prepare
    const { apiKey } = await fx.newAgent();
    const body = {
      name: 'Al Ng',
      brokerage: 'Bay Homes',
      senderNumber: randomPhone(),
      forwardTo: randomPhone(),
    };

    // act
    const missing = await createAgent(body, {});
    const unknown = await createAgent(body, bearer('cl_live_not-a-key'));
    const agent = await createAgent(body, bearer(apiKey));

    // assess
    expect([missing.status, unknown.status, agent.status]).toEqual([401, 401, 403]);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.body.error).toBe('unauthorized');
  });
});

describe('POST /v1/agents/{agentId}/suspend and /resume', () => {
  const setSuspended = (agentId: string, action: 'suspend' | 'resume') =>
    fx.call(`agents.${action}`, {
      method: 'POST',
      path: `/v1/agents/{agentId}/${action}`,
      pathParameters: { agentId },
      headers: bearer(fx.adminKey),
      ...(action === 'suspend' ? { body: { reason: 'complaint under review' } } : {}),
    });
  const putContact = (apiKey: string, phone: string) =>
    fx.call('contacts.put', {
      method: 'PUT',
      path: '/v1/contacts/{phone}',
      pathParameters: { phone },
      headers: bearer(apiKey),
      body: { name: 'Sam' },
    });

  it('lets a suspended agent read but not write, until resumed', async () => {
    // prepare
    const { agentId, apiKey } = await fx.newAgent();
    const phone = randomPhone();
    await putContact(apiKey, phone);

    // act
    const suspended = await setSuspended(agentId, 'suspend');
    const writeWhileSuspended = await putContact(apiKey, phone);
    const readWhileSuspended = await fx.call('contacts.get', {
      method: 'GET',
      path: '/v1/contacts/{phone}',
      pathParameters: { phone },
      headers: bearer(apiKey),
    });
    const resumed = await setSuspended(agentId, 'resume');
    const writeAfterResume = await putContact(apiKey, phone);

    // assess
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ agentId, suspended: true });
    expect(writeWhileSuspended.status).toBe(403);
    expect(writeWhileSuspended.body.error).toBe('agent_suspended');
    expect(readWhileSuspended.status).toBe(200);
    expect(resumed.body).toMatchObject({ agentId, suspended: false });
    expect(writeAfterResume.status).toBe(200);
  });

  it('stores the reason and since when, shows them, and clears them on resume', async () => {
    // prepare
    const { agentId } = await fx.newAgent();

    // act
    const suspended = await setSuspended(agentId, 'suspend');
    const stored = await fx.deps.stores.agents.get(agentId);
    const resumed = await setSuspended(agentId, 'resume');

    // assess
    expect(suspended.body).toMatchObject({
      suspended: true,
      suspendedReason: 'complaint under review',
      suspendedAt: fx.clock.now().toISOString(),
    });
    expect(stored?.suspendedReason).toBe('complaint under review');
    expect(resumed.body.suspendedReason).toBeUndefined();
  });

  it('refuses a suspension without a reason, naming the field', async () => {
    // prepare
    const { agentId } = await fx.newAgent();

    // act
    const reply = await fx.call('agents.suspend', {
      method: 'POST',
      path: '/v1/agents/{agentId}/suspend',
      pathParameters: { agentId },
      headers: bearer(fx.adminKey),
      body: {},
    });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain('body.reason');
    expect((await fx.deps.stores.agents.get(agentId))?.suspended).toBe(false);
  });

  it('refuses every write of a suspended agent with 403 agent_suspended and the reason', async () => {
    // prepare
    const { agentId, apiKey } = await fx.newAgent();
    const phone = randomPhone();
    await putContact(apiKey, phone);
    await setSuspended(agentId, 'suspend');
    const headers = bearer(apiKey);
    const onPhone = { pathParameters: { phone }, headers };
    const writes: Array<[string, Parameters<HttpFixture['call']>[1]]> = [
      ['contacts.put', { method: 'PUT', path: '/v1/contacts/{phone}', ...onPhone, body: { name: 'X' } }],
      [
        'consent.append',
        {
          method: 'POST',
          path: '/v1/contacts/{phone}/consent',
          ...onPhone,
          body: { type: 'ebr_inquiry', at: '2026-03-01T10:00:00Z' },
        },
      ],
      ['enroll.create', { method: 'POST', path: '/v1/contacts/{phone}/enroll', ...onPhone }],
      ['enroll.delete', { method: 'DELETE', path: '/v1/contacts/{phone}/enroll', ...onPhone }],
      ['messages.create', { method: 'POST', path: '/v1/messages', headers, body: { to: phone, body: 'Hi' } }],
      [
        'messages.edit',
        {
          method: 'PUT',
          path: '/v1/messages/{id}',
          pathParameters: { id: 'msg_x' },
          headers,
          body: { body: 'Hi' },
        },
      ],
      ['imports.create', { method: 'POST', path: '/v1/imports', headers, body: { rows: [{ phone }] } }],
    ];

    // act
    const replies = await Promise.all(writes.map(([key, event]) => fx.call(key, event)));

    // assess
    for (const [i, reply] of replies.entries()) {
      expect([writes[i]![0], reply.status, reply.body.error]).toEqual([
        writes[i]![0],
        403,
        'agent_suspended',
      ]);
      expect(reply.body.message).toContain('complaint under review');
    }
    expect((await fx.deps.stores.contacts.get(agentId, phone))?.name).toBe('Sam');
    expect(await fx.deps.stores.messages.listByContact(agentId, phone)).toEqual([]);
    expect(await fx.deps.stores.ledger.list(agentId, phone)).toEqual([]);
  });

  it('answers 404 for an unknown agent', async () => {
    // act
    const reply = await setSuspended('agt_nobody', 'suspend');

    // assess
    expect(reply.status).toBe(404);
  });
});
