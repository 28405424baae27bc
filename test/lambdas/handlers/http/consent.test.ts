import { consentRules } from '../../../../lambdas/rules/consent';
import { FIXTURE_NOW, httpFixture, nationalForm, randomPhone, type HttpFixture } from './fixture';

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
beforeAll(async () => {
  fx = await httpFixture();
  agent = await fx.newAgent();
});

const writtenConsent = {
  type: 'express_written',
  method: 'signed_form',
  at: '2026-03-01T17:00:00-05:00',
  capturedBy: 'Dana Reyes',
  evidence: 'Buyer agreement §12, signed; "you may text me about listings"',
  consentTextVersion: 'form-2026-01',
};

async function newContact(apiKey = agent.apiKey): Promise<string> {
  const phone = randomPhone();
  const reply = await fx.request('contacts.put', {
    pathParameters: { phone },
    apiKey,
    body: { name: 'Sam Ortiz' },
  });
  expect(reply.status).toBe(201);
  return phone;
}
const appendConsent = (phone: string, body: unknown, apiKey = agent.apiKey) =>
  fx.request('consent.append', { pathParameters: { phone }, apiKey, body });
const history = (phone: string, apiKey = agent.apiKey) =>
  fx.request('consent.history', { pathParameters: { phone }, apiKey });
const getContact = (phone: string) =>
  fx.request('contacts.get', { pathParameters: { phone }, apiKey: agent.apiKey });

describe('POST /v1/contacts/{phone}/consent', () => {
  it('appends express written consent and derives a status that permits every text', async () => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(nationalForm(phone), writtenConsent);
    const contact = await getContact(phone);

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.event).toMatchObject({
      agentId: agent.agentId,
      phone,
      type: 'express_written',
      channel: 'sms',
      method: 'signed_form',
      at: '2026-03-01T22:00:00.000Z',
      seq: 1,
    });
    expect(reply.body.consent).toMatchObject({
      badge: 'consented',
      permits: { automated: true, manual: true, consentRequest: false },
      since: '2026-03-01T22:00:00.000Z',
      reliedOn: { eventId: reply.body.event.id, type: 'express_written', method: 'signed_form' },
    });
    expect(reply.body.consent).not.toHaveProperty('status');
    expect(reply.body.consent).not.toHaveProperty('optedOut');
    expect(contact.body.consent).toEqual(reply.body.consent);
  });

  it('answers 422 with the reason when a business card is logged as consent, and appends nothing', async () => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(phone, { ...writtenConsent, method: 'business_card' });

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('not_consent');
    expect(reply.body.message).toContain(consentRules.refused.business_card);
    expect(await fx.deps.stores.ledger.list(agent.agentId, phone)).toEqual([]);
  });

  it.each(['verbal_call', 'in_person', 'referral_sourced'])(
    'answers 422 to express written consent by %s, saying to log it as oral or send a consent request',
    async (method) => {
      // prepare
      const phone = await newContact();

      // act
      const reply = await appendConsent(phone, { ...writtenConsent, method });

      // assess
      expect(reply.status).toBe(422);
      expect(reply.body.message).toContain('express_oral');
      expect(reply.body.message).toContain('consent request');
      expect(await fx.deps.stores.ledger.list(agent.agentId, phone)).toEqual([]);
    },
  );

  it('logs oral consent by call as oral_only: manual texts and a consent request, no automated texts', async () => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(phone, {
      ...writtenConsent,
      type: 'express_oral',
      method: 'verbal_call',
    });

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.consent).toMatchObject({
      badge: 'oral_only',
      permits: { automated: false, manual: true, consentRequest: true },
    });
  });

  it('answers 422 listing the valid types for an unknown consent type, and appends nothing', async () => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(phone, { ...writtenConsent, type: 'express_verbal' });

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('unknown_type');
    for (const type of ['express_written', 'express_oral', 'ebr_transaction', 'ebr_inquiry', 'revocation'])
      expect(reply.body.message).toContain(type);
    expect(await fx.deps.stores.ledger.list(agent.agentId, phone)).toEqual([]);
  });

  it('names each missing piece of evidence for express written consent', async () => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(phone, { type: 'express_written', at: writtenConsent.at });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'body.method',
      'body.capturedBy',
      'body.evidence',
    ]);
  });

  it('records a revocation with any method, after which the status is revoked', async () => {
    // prepare
    const phone = await newContact();
    await appendConsent(phone, writtenConsent);

    // act
    const reply = await appendConsent(phone, {
      type: 'revocation',
      method: 'phone_call',
      at: '2026-03-05T10:00:00Z',
      evidence: '"please stop texting me"',
    });

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.event.seq).toBe(2);
    expect(reply.body.consent).toMatchObject({
      badge: 'revoked',
      permits: { automated: false, manual: false, consentRequest: false },
    });
  });

  it('lets an inquiry window carry manual replies only, until it expires', async () => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(phone, { type: 'ebr_inquiry', at: '2026-03-01T00:00:00Z' });

    // assess
    expect(reply.body.consent).toMatchObject({
      badge: 'ebr_only',
      permits: { automated: false, manual: true, consentRequest: true },
      until: '2026-06-01T00:00:00.000Z',
    });
  });

  it.each([
    ['more than a day in the future', '2026-03-12T15:00:01Z'],
    ['before 1990', '1989-12-31T23:59:59Z'],
    ['without a zone', '2026-03-01T10:00:00'],
    ['not a date', 'yesterday'],
  ])('answers 400 naming body.at for an instant %s, and appends nothing', async (_label, at) => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(phone, { ...writtenConsent, at });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body\.at: /);
    expect(await fx.deps.stores.ledger.list(agent.agentId, phone)).toEqual([]);
  });

  it('accepts an instant up to a day ahead of the clock', async () => {
    // prepare
    const phone = await newContact();
    const almostADayAhead = new Date(Date.parse(FIXTURE_NOW) + 23 * 3600_000).toISOString();

    // act
    const reply = await appendConsent(phone, { ...writtenConsent, at: almostADayAhead });

    // assess
    expect(reply.status).toBe(201);
  });

  it('answers 404 for a contact the agent does not have', async () => {
    // prepare
    const phone = await newContact();
    const other = await fx.newAgent();

    // act
    const reply = await appendConsent(phone, writtenConsent, other.apiKey);

    // assess
    expect(reply.status).toBe(404);
    expect(await fx.deps.stores.ledger.list(other.agentId, phone)).toEqual([]);
  });

  it('answers 422 for a correction of an event that is not in the chain', async () => {
    // prepare
    const phone = await newContact();

    // act
    const reply = await appendConsent(phone, { ...writtenConsent, correctsId: 'evt_missing' });

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body.message).toMatch(/^correctsId: /);
  });

  it('appends a correction that names the event it corrects', async () => {
    // prepare
    const phone = await newContact();
    const first = await appendConsent(phone, { ...writtenConsent, at: '2026-03-02T10:00:00Z' });

    // act
    const reply = await appendConsent(phone, { ...writtenConsent, correctsId: first.body.event.id });

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.event).toMatchObject({
      seq: 2,
      correctsId: first.body.event.id,
      prevHash: first.body.event.hash,
    });
  });

  it('lets a suspended agent log a revocation but not a consent', async () => {
    // prepare
    const suspended = await fx.newAgent();
    const phone = await newContact(suspended.apiKey);
    await fx.suspend(suspended.agentId, 'complaint under review');

    // act
    const consent = await appendConsent(phone, writtenConsent, suspended.apiKey);
    const revocation = await appendConsent(
      phone,
      { type: 'revocation', at: '2026-03-05T10:00:00Z' },
      suspended.apiKey,
    );

    // assess
    expect(consent.status).toBe(403);
    expect(revocation.status).toBe(201);
  });
});

describe('GET /v1/contacts/{phone}/consent', () => {
  it('returns the derived status and the whole history oldest first, opt-outs included', async () => {
    // prepare
    const phone = await newContact();
    await appendConsent(phone, { ...writtenConsent, at: '2026-03-03T10:00:00Z' });
    await appendConsent(phone, { type: 'ebr_inquiry', at: '2026-03-01T10:00:00Z' });
    const other = await fx.newAgent();
    await fx.deps.stores.optouts.record(
      {
        phone,
        at: '2026-03-04T10:00:00Z',
        source: 'keyword',
        words: 'STOP texting me Bob',
        agentId: other.agentId,
      },
      '2026-03-04T10:00:01Z',
    );

    // act
    const reply = await history(phone);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.consent).toMatchObject({
      badge: 'opted_out',
      permits: { automated: false, manual: false, consentRequest: false },
    });
    expect(
      reply.body.history.map((entry: { kind: string; type?: string }) => entry.type ?? entry.kind),
    ).toEqual(['ebr_inquiry', 'express_written', 'global_opt_out']);
    const optOut = reply.body.history[2];
    expect(optOut).toStrictEqual({
      kind: 'global_opt_out',
      viaThisAgent: false,
      note: 'opted out platform-wide',
    });
    const shown = JSON.stringify(reply.body);
    for (const secret of [other.agentId, '2026-03-04T10:00', 'keyword', 'Bob']) {
      expect(shown).not.toContain(secret);
    }
  });

  it("shows the agent its own opt-out in full: when, how and the contact's words", async () => {
    // prepare
    const phone = await newContact();
    await fx.deps.stores.optouts.record(
      { phone, at: '2026-03-04T10:00:00Z', source: 'keyword', words: 'STOP', agentId: agent.agentId },
      '2026-03-04T10:00:01Z',
    );

    // act
    const reply = await history(phone);

    // assess
    expect(reply.body.history).toEqual([
      expect.objectContaining({
        kind: 'global_opt_out',
        viaThisAgent: true,
        at: '2026-03-04T10:00:00Z',
        source: 'keyword',
        words: 'STOP',
      }),
    ]);
  });

  it('answers 404 to another agent', async () => {
    // prepare
    const phone = await newContact();
    await appendConsent(phone, writtenConsent);
    const other = await fx.newAgent();

    // act
    const reply = await history(phone, other.apiKey);

    // assess
    expect(reply.status).toBe(404);
  });
});
