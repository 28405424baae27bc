import type { MessageRecord } from '../../../../lambdas/ports';
import { newMessageRecord } from '../../../../lambdas/usecases/message-records';
import { httpFixture, randomPhone, type HttpFixture, type Reply } from './fixture';

let fx: HttpFixture;
beforeAll(async () => {
  fx = await httpFixture();
});

const auditMessages = (key: string, query: Record<string, string>) =>
  fx.request('audit.messages', { query, apiKey: key });

const auditPhone = (key: string, phone: string) =>
  fx.request('audit.phone', { pathParameters: { phone }, apiKey: key });

/** Logs a message for the agent directly in the store, created at `at`, with a receipt-like marker. */
async function logMessage(agentId: string, phone: string, at: string): Promise<MessageRecord> {
  const draft = newMessageRecord({
    agentId,
    phone,
    kind: 'manual',
    purpose: 'manual',
    body: `sent ${at}`,
    at: new Date(at),
  });
  const message = { ...draft, history: [{ status: 'queued' as const, at }] };
  await fx.deps.stores.messages.create(message);
  return message;
}

/** Follows cursors from the first page to the last; returns every item and the page count. */
async function allPages(
  key: string,
  query: Record<string, string>,
): Promise<{ ids: string[]; pages: Reply[] }> {
  const pages: Reply[] = [];
  let cursor: string | undefined;
  do {
    const reply = await auditMessages(key, cursor === undefined ? query : { ...query, cursor });
    expect(reply.status).toBe(200);
    pages.push(reply);
    cursor = reply.body.cursor;
  } while (cursor !== undefined);
  return {
    ids: pages.flatMap((page) => page.body.items.map((item: MessageRecord) => item.messageId)),
    pages,
  };
}

/** `count` instants one hour apart from `start`. */
const hourly = (start: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(start) + i * 3_600_000).toISOString());

describe('GET /v1/audit/messages', () => {
  it('answers 404 for an agent that does not exist, not an empty complete export', async () => {
    // act
    const reply = await auditMessages(fx.adminKey, { agentId: 'agt_nobody' });

    // assess
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: 'not_found' });
    expect(reply.body.items).toBeUndefined();
  });

  it('returns every message of the range exactly once, oldest first, across pages of 3', async () => {
    // prepare
    const agent = await fx.newAgent();
    const other = await fx.newAgent();
    const phone = randomPhone();
    const logged = [];
    for (const at of hourly('2026-02-01T10:00:00.000Z', 10))
      logged.push(await logMessage(agent.agentId, phone, at));
    await logMessage(other.agentId, phone, '2026-02-01T12:30:00.000Z');
    const inRange = logged.filter(
      (m) => m.createdAt >= '2026-02-01T11:00:00.000Z' && m.createdAt < '2026-02-01T18:00:00.000Z',
    );

    // act
    const { ids, pages } = await allPages(agent.apiKey, {
      from: '2026-02-01T11:00:00Z',
      to: '2026-02-01T18:00:00Z',
      limit: '3',
    });

    // assess
    expect(ids).toEqual(inRange.map((m) => m.messageId));
    expect(inRange).toHaveLength(7);
    expect(pages.map((page) => page.body.items.length)).toEqual([3, 3, 1]);
    expect(pages[0]?.body.items[0]).toEqual(inRange[0]);
  });

  it('lets the admin export any agent but requires it to name one', async () => {
    // prepare
    const agent = await fx.newAgent();
    const message = await logMessage(agent.agentId, randomPhone(), '2026-02-02T10:00:00.000Z');

    // act
    const named = await allPages(fx.adminKey, { agentId: agent.agentId });
    const unnamed = await auditMessages(fx.adminKey, {});

    // assess
    expect(named.ids).toEqual([message.messageId]);
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.message).toBe('query.agentId: is required with the admin key');
  });

  it("answers 403 when an agent asks for another agent's messages", async () => {
    // prepare
    const [agent, other] = [await fx.newAgent(), await fx.newAgent()];

    // act
    const reply = await auditMessages(agent.apiKey, { agentId: other.agentId });

    // assess
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe('forbidden');
  });

  it('keeps only the messages to one phone when phone is given, still page by page', async () => {
    // prepare
    const agent = await fx.newAgent();
    const [phone, elsewhere] = [randomPhone(), randomPhone()];
    const wanted = [];
    for (const at of hourly('2026-02-03T10:00:00.000Z', 5)) {
      wanted.push(await logMessage(agent.agentId, phone, at));
      await logMessage(agent.agentId, elsewhere, at);
    }

    // act
    const { ids, pages } = await allPages(agent.apiKey, { phone, limit: '2' });

    // assess
    expect(ids).toEqual(wanted.map((m) => m.messageId));
    expect(pages).toHaveLength(3);
  });

  it('refuses a cursor of another export with 400', async () => {
    // prepare
    const agent = await fx.newAgent();
    for (const at of hourly('2026-02-04T10:00:00.000Z', 3))
      await logMessage(agent.agentId, randomPhone(), at);
    const first = await auditMessages(agent.apiKey, { limit: '1' });

    // act
    const reply = await auditMessages(agent.apiKey, {
      limit: '1',
      from: '2026-02-04T00:00:00Z',
      cursor: first.body.cursor,
    });
    const garbage = await auditMessages(agent.apiKey, { cursor: 'not-a-cursor' });

    // assess
    expect(first.body.cursor).toEqual(expect.any(String));
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^cursor: belongs to another export/);
    expect(garbage.status).toBe(400);
  });

  it('answers 409 instead of skipping when a message appears before the cursor', async () => {
    // prepare
    const agent = await fx.newAgent();
    for (const at of hourly('2026-02-05T10:00:00.000Z', 4))
      await logMessage(agent.agentId, randomPhone(), at);
    const first = await auditMessages(agent.apiKey, { limit: '2' });
    await logMessage(agent.agentId, randomPhone(), '2026-02-05T09:00:00.000Z');

    // act
    const reply = await auditMessages(agent.apiKey, { limit: '2', cursor: first.body.cursor });

    // assess
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('listing_changed');
  });

  it('names the field when from is not before to or limit is out of range', async () => {
    // prepare
    const agent = await fx.newAgent();

    // act
    const backwards = await auditMessages(agent.apiKey, {
      from: '2026-03-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    });
    const tooBig = await auditMessages(agent.apiKey, { limit: '5000' });

    // assess
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toBe('query.to: must be later than from');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.message).toMatch(/^query\.limit: /);
  });
});

describe('GET /v1/audit/phones/{phone}', () => {
  it("gives the admin every agent's consent chain, verified, and every opt-out record with its words", async () => {
    // prepare
    const [a, b] = [await fx.newAgent(), await fx.newAgent()];
    const phone = randomPhone();
    for (const agent of [a, b]) {
      await fx.request('contacts.put', { pathParameters: { phone }, apiKey: agent.apiKey, body: {} });
      await fx.request('consent.append', {
        pathParameters: { phone },
        apiKey: agent.apiKey,
        body: {
          type: 'express_written',
          method: 'signed_form',
          at: '2026-03-01T10:00:00Z',
          capturedBy: 'desk',
          evidence: 'form 7',
        },
      });
    }
    await fx.deps.stores.optouts.record(
      { phone, at: '2026-03-05T10:00:00.000Z', source: 'keyword', words: 'STOP', agentId: a.agentId },
      '2026-03-05T10:00:00.000Z',
    );

    // act
    const reply = await auditPhone(fx.adminKey, phone);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.chains.map((chain: { agentId: string }) => chain.agentId).sort()).toEqual(
      [a.agentId, b.agentId].sort(),
    );
    for (const chain of reply.body.chains) {
      expect(chain.events).toEqual([
        expect.objectContaining({ type: 'express_written', seq: 1, evidence: 'form 7' }),
      ]);
      expect(chain.verification).toMatchObject({ ok: true, events: 1 });
    }
    expect(reply.body.optOuts).toEqual([
      expect.objectContaining({ source: 'keyword', words: 'STOP', agentId: a.agentId }),
    ]);
  });

  it('answers 403 to an agent key', async () => {
    // prepare
    const agent = await fx.newAgent();

    // act
    const reply = await auditPhone(agent.apiKey, randomPhone());

    // assess
    expect(reply.status).toBe(403);
  });

  it('answers an empty record for a phone nobody has', async () => {
    // act
    const reply = await auditPhone(fx.adminKey, randomPhone());

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ chains: [], optOuts: [] });
  });
});

describe('GET /v1/audit/consent', () => {
  const auditConsent = (key: string, query: Record<string, string>) =>
    fx.request('audit.consent', { query, apiKey: key });

  const contactWithConsent = (apiKey: string, at: string) =>
    fx.consentedContact(apiKey, {
      contact: { state: 'NY' },
      consent: [{ at, capturedBy: 'Dana', evidence: 'form' }],
    });

  it("answers every consent event of the agent's contacts in range, oldest first, and no other agent's", async () => {
    // prepare
    const agent = await fx.newAgent();
    const other = await fx.newAgent();
    const late = await contactWithConsent(agent.apiKey, '2026-03-05T10:00:00Z');
    const early = await contactWithConsent(agent.apiKey, '2026-03-02T10:00:00Z');
    await contactWithConsent(agent.apiKey, '2026-02-01T10:00:00Z');
    await contactWithConsent(other.apiKey, '2026-03-03T10:00:00Z');

    // act
    const reply = await auditConsent(fx.adminKey, {
      agentId: agent.agentId,
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-10T00:00:00Z',
    });

    // assess
    expect(reply.status).toBe(200);
    expect(
      reply.body.items.map((item: { record: string; phone: string }) => [item.record, item.phone]),
    ).toEqual([
      ['consent_event', early],
      ['consent_event', late],
    ]);
    expect(reply.body).not.toHaveProperty('cursor');
  });

  it('answers 404 for an unknown agent and 403 for an agent asking for another', async () => {
    // prepare
    const agent = await fx.newAgent();
    const other = await fx.newAgent();

    // act
    const unknown = await auditConsent(fx.adminKey, { agentId: 'agt_missing' });
    const foreign = await auditConsent(agent.apiKey, { agentId: other.agentId });

    // assess
    expect([unknown.status, foreign.status]).toEqual([404, 403]);
  });
});

describe('GET /v1/agents', () => {
  it('lists every agent for the admin and nothing internal', async () => {
    // prepare
    const created = await fx.newAgent();

    // act
    const reply = await fx.request('agents.list', { apiKey: fx.adminKey });

    // assess
    expect(reply.status).toBe(200);
    const ids = reply.body.items.map((item: { agentId: string }) => item.agentId);
    expect(ids).toContain(created.agentId);
    expect(ids.every((id: string) => id.startsWith('agt_'))).toBe(true);
    expect(ids).toEqual([...ids].sort());
  });

  it('is refused to an agent key', async () => {
    // prepare
    const agent = await fx.newAgent();

    // act
    const reply = await fx.request('agents.list', { apiKey: agent.apiKey });

    // assess
    expect(reply.status).toBe(403);
  });
});
