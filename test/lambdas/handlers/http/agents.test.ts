import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { hashApiKey } from '../../../../lambdas/usecases/api-keys';
import { bearer } from '../../../support/http-events';
import { FIXTURE_NOW, httpFixture, nationalForm, randomPhone, type HttpFixture } from './fixture';

let fx: HttpFixture;
beforeAll(async () => {
  fx = await httpFixture();
});

const createAgent = (body: unknown, headers = bearer(fx.adminKey)) =>
  fx.request('agents.create', { headers, body });
/** A valid agent body (fresh random numbers), with `overrides` laid over it. */
const agentBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Dana Reyes',
  brokerage: 'Harbor Realty',
  senderNumber: randomPhone(),
  forwardTo: randomPhone(),
  ...overrides,
});

describe('POST /v1/agents: the name and brokerage open every text', () => {
  it.each([
    ['a link', { name: 'Dana https://bit.ly/x' }, 'body.name', /web address \(https:\/\/bit\.ly\/x\)/],
    ['a bare domain', { brokerage: 'harbor-realty.com' }, 'body.brokerage', /web address/],
    ['the keyword STOP', { name: 'Evil STOP' }, 'body.name', /keyword STOP/],
    ['the keyword HELP after "text"', { brokerage: 'text help realty' }, 'body.brokerage', /keyword HELP/],
    ['the keyword YES as the whole name', { name: 'Yes' }, 'body.name', /keyword YES/],
    ['bare CBD in a brokerage', { brokerage: 'Free CBD' }, 'body.brokerage', /SHAFT: cannabis/],
    ['a SHAFT term', { brokerage: 'Vape Shop Realty' }, 'body.brokerage', /SHAFT: tobacco/],
    ['an emoji', { name: 'Dana 🏡' }, 'body.name', /emoji/],
    ['a name over 60 characters', { name: 'D'.repeat(61) }, 'body.name', /at most 60 characters/],
    ['a one-letter name', { name: 'D' }, 'body.name', /at least 2 characters/],
    ['no letter at all', { brokerage: '123' }, 'body.brokerage', /with a letter/],
  ])('answers 400 naming the field for %s, and creates no agent', async (_label, override, field, rule) => {
    // prepare
    const senderNumber = randomPhone();

    // act
    const reply = await createAgent(agentBody({ senderNumber, ...override }));

    // assess
    expect(reply.status).toBe(400);
    const issue = reply.body.issues.find((i: { path: string }) => i.path === field);
    expect(issue?.message).toMatch(rule);
    expect(await fx.deps.stores.agents.findBySenderNumber(senderNumber)).toBeUndefined();
  });

  it.each([
    ['West End Realty', 'Dana Reyes'],
    ['Yes Homes', 'Help Desk Hughes'],
  ])('accepts the brokerage %s: an ordinary word that is also a keyword', async (brokerage, name) => {
    // act
    const reply = await createAgent(agentBody({ name, brokerage }));

    // assess
    expect(reply.status).toBe(201);
  });

  it('accepts real names with accents, apostrophes and hyphens', async () => {
    // act
    const reply = await createAgent(
      agentBody({ name: 'José O’Neill-Pérez', brokerage: 'Château & Söhne Realty' }),
    );

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
    const reply = await createAgent(agentBody({ senderNumber: nationalForm(senderNumber), forwardTo }));

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
    const reply = await fx.request('ledger.verify', { query: { phone: randomPhone() }, apiKey });

    // assess
    expect(reply.status).toBe(200);
  });

  it('answers 409 when the sender number already belongs to an agent', async () => {
    // prepare
    const { senderNumber } = await fx.newAgent();

    // act
    const reply = await createAgent(agentBody({ senderNumber }));

    // assess
    expect(reply.status).toBe(409);
    expect(reply.body.message).toContain('senderNumber');
  });

  it('names an unknown field and writes nothing', async () => {
    // prepare
    const senderNumber = randomPhone();

    // act
    const reply = await createAgent(agentBody({ senderNumber, doubleOptin: true }));

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
    const reply = await createAgent(agentBody({ senderNumber: '555-1234' }));

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body\.senderNumber: .*not a valid phone number/);
  });

  it('refuses a forwarding number equal to the sender number', async () => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await createAgent(agentBody({ senderNumber: phone, forwardTo: phone }));

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body\.forwardTo: /);
  });

  it('answers 401 without a key and with an unknown key, 403 with an agent key', async () => {
    // prepare
    const { apiKey } = await fx.newAgent();
    const body = agentBody();

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

describe('POST /v1/agents: forwarding loops', () => {
  it("refuses a forwardTo that is another agent's sender number, and creates nothing", async () => {
    // prepare
    const other = await fx.newAgent();
    const senderNumber = randomPhone();

    // act
    const reply = await fx.request('agents.create', {
      apiKey: fx.adminKey,
      body: { name: 'Ana Ruiz', brokerage: 'Bay Homes', senderNumber, forwardTo: other.senderNumber },
    });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^forwardTo: .*another agent's sender number/);
    expect(await fx.deps.stores.agents.findBySenderNumber(senderNumber)).toBeUndefined();
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
    fx.request('contacts.put', { pathParameters: { phone }, apiKey, body: { name: 'Sam' } });

  it('refuses a suspended agent reads as well as writes, until resumed', async () => {
    // prepare
    const { agentId, apiKey } = await fx.newAgent();
    const phone = randomPhone();
    await putContact(apiKey, phone);
    const readContact = () => fx.request('contacts.get', { pathParameters: { phone }, apiKey });

    // act
    const suspended = await setSuspended(agentId, 'suspend');
    const writeWhileSuspended = await putContact(apiKey, phone);
    const readWhileSuspended = await readContact();
    const resumed = await setSuspended(agentId, 'resume');
    const writeAfterResume = await putContact(apiKey, phone);
    const readAfterResume = await readContact();

    // assess
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ agentId, suspended: true });
    expect(writeWhileSuspended.status).toBe(403);
    expect(writeWhileSuspended.body.error).toBe('agent_suspended');
    expect(readWhileSuspended.status).toBe(403);
    expect(readWhileSuspended.body.error).toBe('agent_suspended');
    expect(JSON.stringify(readWhileSuspended.body)).not.toContain('Sam');
    expect(resumed.body).toMatchObject({ agentId, suspended: false });
    expect(writeAfterResume.status).toBe(200);
    expect(readAfterResume.status).toBe(200);
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
    const reply = await fx.request('agents.suspend', {
      pathParameters: { agentId },
      apiKey: fx.adminKey,
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

describe('agent keys: rotate, revoke, record', () => {
  const HOUR_MS = 3_600_000;
  const rotate = (agentId: string, body: unknown, headers = bearer(fx.adminKey)) =>
    fx.request('agents.rotate-key', { pathParameters: { agentId }, headers, body });
  const revoke = (agentId: string, body: unknown) =>
    fx.request('agents.revoke-keys', { pathParameters: { agentId }, apiKey: fx.adminKey, body });
  const events = (agentId: string) =>
    fx.request('agents.key-events', { pathParameters: { agentId }, apiKey: fx.adminKey });
  const statusWith = async (apiKey: string) =>
    (await fx.request('ledger.verify', { query: { phone: randomPhone() }, apiKey })).status;

  afterEach(() => fx.clock.set(FIXTURE_NOW));

  it('shows a new key once and keeps the old one working for the overlap chosen, then 401', async () => {
    // prepare
    const { agentId, apiKey: oldKey } = await fx.newAgent();

    // act
    const rotated = await rotate(agentId, { overlapHours: 2, by: 'Ops Lee', reason: 'laptop stolen' });
    const newKeyNow = await statusWith(rotated.body.apiKey);
    const oldKeyInOverlap = await statusWith(oldKey);
    fx.clock.set(new Date(Date.parse(FIXTURE_NOW) + 2 * HOUR_MS + 1000));
    const oldKeyAfter = await statusWith(oldKey);
    const newKeyAfter = await statusWith(rotated.body.apiKey);

    // assess
    expect(rotated.status).toBe(200);
    expect(rotated.body.apiKey).toMatch(/^cl_live_[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.apiKey).not.toBe(oldKey);
    expect(rotated.body.event).toMatchObject({
      action: 'rotated',
      by: 'Ops Lee',
      reason: 'laptop stolen',
      at: FIXTURE_NOW,
      previousKeyValidUntil: new Date(Date.parse(FIXTURE_NOW) + 2 * HOUR_MS).toISOString(),
    });
    expect([newKeyNow, oldKeyInOverlap, oldKeyAfter, newKeyAfter]).toEqual([200, 200, 401, 200]);
  });

  it('stops the old key at once with an overlap of 0', async () => {
    // prepare
    const { agentId, apiKey: oldKey } = await fx.newAgent();

    // act
    const rotated = await rotate(agentId, { overlapHours: 0, by: 'Ops', reason: 'leak' });

    // assess
    expect(await statusWith(oldKey)).toBe(401);
    expect(await statusWith(rotated.body.apiKey)).toBe(200);
  });

  it.each([[25], [-1]])('refuses an overlap of %p hours and changes nothing', async (overlapHours) => {
    // prepare
    const { agentId, apiKey } = await fx.newAgent();

    // act
    const reply = await rotate(agentId, { overlapHours, by: 'Ops', reason: 'x' });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain('overlapHours');
    expect(await statusWith(apiKey)).toBe(200);
    expect((await events(agentId)).body.events).toEqual([]);
  });

  it('revokes every key of the agent at once, overlaps included: each gets 401', async () => {
    // prepare
    const { agentId, apiKey: first } = await fx.newAgent();
    const second = (await rotate(agentId, { overlapHours: 24, by: 'Ops', reason: 'routine' })).body.apiKey;
    const before = [await statusWith(first), await statusWith(second)];

    // act
    const revoked = await revoke(agentId, { by: 'Ops Lee', reason: 'key pasted in a public chat' });

    // assess
    expect(before).toEqual([200, 200]);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ action: 'revoked', by: 'Ops Lee', at: FIXTURE_NOW });
    expect([await statusWith(first), await statusWith(second)]).toEqual([401, 401]);
  });

  it('issues a working key again after a revocation, without bringing the old ones back', async () => {
    // prepare
    const { agentId, apiKey: first } = await fx.newAgent();
    const second = (await rotate(agentId, { overlapHours: 24, by: 'Ops', reason: 'routine' })).body.apiKey;
    await revoke(agentId, { by: 'Ops', reason: 'leak' });

    // act
    const third = (await rotate(agentId, { overlapHours: 24, by: 'Ops', reason: 'after the leak' })).body
      .apiKey;

    // assess
    expect([await statusWith(first), await statusWith(second), await statusWith(third)]).toEqual([
      401, 401, 200,
    ]);
  });

  it('records each rotation and revocation: who, when, why, in order', async () => {
    // prepare
    const { agentId } = await fx.newAgent();
    await rotate(agentId, { overlapHours: 1, by: 'Ana', reason: 'scheduled' });
    fx.clock.set('2026-03-11T09:00:00.000Z');
    await revoke(agentId, { by: 'Ben', reason: 'suspected leak' });

    // act
    const reply = await events(agentId);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.events).toEqual([
      expect.objectContaining({ seq: 1, action: 'rotated', by: 'Ana', reason: 'scheduled', at: FIXTURE_NOW }),
      expect.objectContaining({
        seq: 2,
        action: 'revoked',
        by: 'Ben',
        reason: 'suspected leak',
        at: '2026-03-11T09:00:00.000Z',
      }),
    ]);
  });

  it('is for the admin key only, and names the missing reason', async () => {
    // prepare
    const { agentId, apiKey } = await fx.newAgent();

    // act
    const asAgent = await rotate(agentId, { overlapHours: 1, by: 'me', reason: 'x' }, bearer(apiKey));
    const noReason = await rotate(agentId, { overlapHours: 1, by: 'Ops' });
    const unknown = await revoke('agt_nobody', { by: 'Ops', reason: 'x' });

    // assess
    expect(asAgent.status).toBe(403);
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toContain('body.reason');
    expect(unknown.status).toBe(404);
    expect(await statusWith(apiKey)).toBe(200);
  });
});

describe('failed admin authentication', () => {
  it('writes one structured line per failure for the alarm to count, and none for the admin key', async () => {
    // prepare
    const lines: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      }),
    );
    const attempt = (key: string) =>
      fx.request('agents.key-events', { pathParameters: { agentId: 'agt_nobody' }, apiKey: key });

    // act
    const replies = await Promise.all(['guess-1', 'guess-2', 'cl_admin_demo'].map(attempt)).finally(() =>
      spies.forEach((spy) => spy.mockRestore()),
    );
    const admin = await attempt(fx.adminKey);

    // assess
    expect(replies.map((reply) => reply.status)).toEqual([401, 401, 401]);
    expect(admin.status).toBe(404);
    const failures = lines.filter((line) => line.includes('"event":"admin_auth_failed"'));
    expect(failures).toHaveLength(3);
  });
});
