import { consentRules } from '../../../../lambdas/rules/consent';
import { httpFixture, nationalForm, randomPhone, type HttpFixture } from './fixture';

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
beforeAll(async () => {
  fx = await httpFixture();
  agent = await fx.newAgent();
});

const importRows = (rows: unknown) => fx.request('imports.create', { apiKey: agent.apiKey, body: { rows } });

const evidence = {
  method: 'e_sign',
  at: '2026-02-01T12:00:00Z',
  capturedBy: 'Dana Reyes',
  evidence: 'DocuSign envelope 8f2c, texting clause initialled',
};

const contactStatus = async (phone: string) =>
  (await fx.request('contacts.get', { pathParameters: { phone }, apiKey: agent.apiKey })).body.consent.badge;

describe('POST /v1/imports', () => {
  it('imports good rows, fails bad rows alone, and imports consent only with full evidence', async () => {
    // prepare
    const withConsent = randomPhone();
    const partial = randomPhone();
    const businessCard = randomPhone();
    const typo = randomPhone();
    const rows = [
      { phone: nationalForm(withConsent), name: 'Ann', state: 'TX', consent: evidence },
      { phone: '555-01', name: 'Bad Number' },
      { phone: partial, name: 'Cal', consent: { method: 'verbal_call', at: evidence.at } },
      { phone: businessCard, consent: { ...evidence, method: 'business_card' } },
      { phone: typo, nmae: 'Typo' },
      'not an object',
    ];

    // act
    const reply = await importRows(rows);

    // assess
    expect(reply.status).toBe(200);
    const results = reply.body.results;
    expect(results[0]).toEqual({
      row: 0,
      phone: withConsent,
      ok: true,
      result: 'created',
      created: true,
      consentImported: true,
    });
    expect(results[1]).toMatchObject({ row: 1, phone: '555-01', ok: false, result: 'failed' });
    expect(results[1].error).toMatch(
      /^row\.phone: "555-01" is not a valid phone number: a US number is a 3-digit area code/,
    );
    expect(results[2]).toMatchObject({ row: 2, ok: true, consentImported: false });
    expect(results[2].note).toMatch(/consent not imported: evidence is missing capturedBy, evidence/);
    expect(results[3]).toMatchObject({ row: 3, ok: true, consentImported: false });
    expect(results[3].note).toContain(consentRules.refused.business_card);
    expect(results[4]).toMatchObject({ row: 4, ok: false, error: 'row.nmae: unknown field' });
    expect(results[5]).toMatchObject({ row: 5, ok: false });
    expect(reply.body.summary).toEqual({
      rows: 6,
      ok: 3,
      failed: 3,
      consentImported: 1,
      refused: 0,
      duplicates: 0,
    });
    expect(await contactStatus(withConsent)).toBe('consented');
    expect(await contactStatus(partial)).toBe('no_consent');
    expect(await contactStatus(businessCard)).toBe('no_consent');
    expect(await fx.deps.stores.contacts.get(agent.agentId, typo)).toBeUndefined();
    const [record] = await fx.deps.stores.ledger.list(agent.agentId, withConsent);
    expect(record).toMatchObject({ type: 'express_written', method: 'e_sign', source: 'import' });
  });

  it.each([
    [
      'dated more than a day ahead',
      { ...evidence, at: '2027-01-01T00:00:00Z' },
      /consent\.at: is more than 1 day in the future/,
    ],
    ['with a date that is not a date', { ...evidence, at: 'last Tuesday' }, /row\.consent\.at: /],
    [
      'with an unknown evidence field',
      { ...evidence, witness: 'Bo' },
      /row\.consent\.witness: unknown field/,
    ],
  ])('keeps the contact and drops only the consent %s, with the reason', async (_label, consent, reason) => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await importRows([{ phone, name: 'Kept', consent }]);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.results[0]).toMatchObject({ ok: true, result: 'created', consentImported: false });
    expect(reply.body.results[0].note).toMatch(/^consent not imported: /);
    expect(reply.body.results[0].note).toMatch(reason);
    expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toMatchObject({ name: 'Kept' });
    expect(await fx.deps.stores.ledger.list(agent.agentId, phone)).toEqual([]);
  });

  it('takes one row per number and reports every other with the row taken and why', async () => {
    // prepare: the same numbers written three ways
    const [a, b] = [randomPhone(), randomPhone()];
    const rows = [
      { phone: a, name: 'First with consent', consent: evidence },
      { phone: nationalForm(a), name: 'Later without consent' },
      { phone: b, name: 'Old entry' },
      { phone: nationalForm(b), name: 'New entry' },
    ];

    // act
    const reply = await importRows(rows);

    // assess
    const [first, second, third, fourth] = reply.body.results;
    expect(first).toMatchObject({ row: 0, ok: true, result: 'created', consentImported: true });
    expect(second).toMatchObject({ row: 1, phone: a, ok: false, result: 'duplicate', duplicateOf: 0 });
    expect(second.error).toMatch(
      /as row 1 of this import, which was taken instead because it carries consent evidence/,
    );
    expect(third).toMatchObject({ row: 2, phone: b, result: 'duplicate', duplicateOf: 3 });
    expect(third.duplicateReason).toMatch(/comes later in the import/);
    expect(fourth).toMatchObject({ row: 3, result: 'created' });
    expect(reply.body.summary).toMatchObject({ rows: 4, ok: 2, duplicates: 2, failed: 0 });
    expect(await fx.deps.stores.contacts.get(agent.agentId, a)).toMatchObject({ name: 'First with consent' });
    expect(await fx.deps.stores.contacts.get(agent.agentId, b)).toMatchObject({ name: 'New entry' });
  });

  it('looks up each new number once, however many rows carry it', async () => {
    // prepare
    const [a, b] = [randomPhone(), randomPhone()];
    const before = fx.lookup.calls.lineType;

    // act
    const reply = await importRows([{ phone: a }, { phone: nationalForm(a) }, { phone: b }, { phone: a }]);

    // assess
    expect(reply.body.summary).toMatchObject({ rows: 4, ok: 2, duplicates: 2 });
    expect(fx.lookup.calls.lineType - before).toBe(2);
  });

  it('answers 200 when a row cannot be stored or its Lookup fails: that row says so, the rest go in', async () => {
    // prepare
    const [unstorable, unlooked, fine] = [randomPhone(), randomPhone(), randomPhone()];
    fx.lookup.declare(unlooked, { failing: 'http_500' });
    const upsert = fx.deps.stores.contacts.upsert.bind(fx.deps.stores.contacts);
    const spy = jest
      .spyOn(fx.deps.stores.contacts, 'upsert')
      .mockImplementation((agentId, phone, ...rest) => {
        if (phone === unstorable) return Promise.reject(new Error('ProvisionedThroughputExceededException'));
        return upsert(agentId, phone, ...rest);
      });

    // act
    const reply = await importRows([{ phone: unstorable }, { phone: unlooked }, { phone: fine }]).finally(
      () => spy.mockRestore(),
    );

    // assess
    expect(reply.status).toBe(200);
    const [failed, stored, ok] = reply.body.results;
    expect(failed).toMatchObject({ ok: false, result: 'failed', error: expect.stringMatching(/retry it$/) });
    expect(stored).toMatchObject({ ok: true, result: 'created' });
    expect(ok).toMatchObject({ ok: true, result: 'created' });
    expect((await fx.deps.stores.contacts.get(agent.agentId, unlooked))?.lineType).toBeUndefined();
  });

  it('does not add the same consent twice when a file is imported again', async () => {
    // prepare
    const phone = randomPhone();
    await importRows([{ phone, consent: evidence }]);

    // act
    const reply = await importRows([{ phone, consent: evidence }]);

    // assess
    expect(reply.body.results[0]).toMatchObject({
      ok: true,
      result: 'updated',
      created: false,
      consentImported: false,
    });
    expect(await fx.deps.stores.ledger.list(agent.agentId, phone)).toHaveLength(1);
  });

  it('imports 1,000 rows, keeping their order in the results', async () => {
    // prepare
    // Distinct numbers: two rows of one number would be one contact and a duplicate.
    const distinct = new Set<string>();
    while (distinct.size < 1000) distinct.add(randomPhone());
    const phones = [...distinct];

    // act
    const reply = await importRows(phones.map((phone) => ({ phone })));

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.summary.ok).toBe(1000);
    expect(reply.body.results.map((result: { phone: string }) => result.phone)).toEqual(phones);
    // Each new phone also costs a line-type Lookup and its cache write.
  }, 120_000);

  it.each([
    ['more than 1,000 rows', { rows: Array.from({ length: 1001 }, () => ({ phone: '+12125550123' })) }],
    ['no rows', { rows: [] }],
    ['rows that are not a list', { rows: { phone: '+12125550123' } }],
  ])('answers 400 naming body.rows for %s', async (_label, body) => {
    // act
    const reply = await fx.request('imports.create', { apiKey: agent.apiKey, body });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body\.rows: /);
  });
});
