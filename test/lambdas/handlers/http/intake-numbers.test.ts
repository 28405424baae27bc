import { numberCheckRules } from '../../../../lambdas/rules/number-checks';
import { httpFixture, randomPhone, type HttpFixture } from './fixture';

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
beforeAll(async () => {
  fx = await httpFixture();
  agent = await fx.newAgent();
});

const putContact = (phone: string) =>
  fx.request('contacts.put', { pathParameters: { phone }, apiKey: agent.apiKey, body: { name: 'Sam Lee' } });

describe('intake: which numbers may be contacts (RULES §3)', () => {
  it.each<[string, string, RegExp]>([
    ['a Canadian number', '+14165550123', /area code 416 is outside the US/],
    ['a Caribbean number', '+18765550123', /area code 876 is outside the US/],
    ...numberCheckRules.tollFreeAreaCodes.map((code): [string, string, RegExp] => [
      `toll-free ${code}`,
      `+1${code}5550123`,
      /toll-free/,
    ]),
  ])('refuses %s with a 422 naming the rule, and stores nothing', async (_, phone, reason) => {
    // act
    const reply = await putContact(phone);
    const after = await fx.deps.stores.contacts.get(agent.agentId, phone);

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ error: 'phone_refused', message: expect.stringMatching(reason) });
    expect(reply.body.message).toMatch(/outside the US|toll-free/);
    expect(reply.body.message).not.toMatch(/RULES|§/);
    expect(after).toBeUndefined();
  });

  it('keeps a landline as a contact with SMS marked impossible and the reason', async () => {
    // prepare
    const phone = randomPhone();
    fx.lookup.declare(phone, { lineType: 'landline' });

    // act
    const reply = await putContact(phone);

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.lineType).toMatchObject({
      type: 'landline',
      sms: false,
      reason: expect.stringMatching(/landline/),
    });
  });

  it.each(['fixedVoip', 'nonFixedVoip', 'mobile'])('allows %s and shows it', async (lineType) => {
    // prepare
    const phone = randomPhone();
    fx.lookup.declare(phone, { lineType });

    // act
    const reply = await putContact(phone);

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.lineType).toMatchObject({ type: lineType, sms: true });
  });

  it('looks a phone’s line type up once, whichever agent adds it', async () => {
    // prepare
    const phone = randomPhone();
    const other = await fx.newAgent();
    const before = fx.lookup.calls.lineType;

    // act
    await putContact(phone);
    await putContact(phone);
    await fx.request('contacts.put', { pathParameters: { phone }, apiKey: other.apiKey, body: {} });

    // assess
    expect(fx.lookup.calls.lineType - before).toBe(1);
  });

  it('reports refused numbers and landlines per row in an import', async () => {
    // prepare
    const landline = randomPhone();
    const mobile = randomPhone();
    fx.lookup.declare(landline, { lineType: 'landline' });

    // act
    const reply = await fx.request('imports.create', {
      apiKey: agent.apiKey,
      body: {
        rows: [{ phone: '+14165550199' }, { phone: '+18005550199' }, { phone: landline }, { phone: mobile }],
      },
    });

    // assess
    expect(reply.status).toBe(200);
    const [canada, tollFree, kept, fine] = reply.body.results;
    expect(canada).toMatchObject({
      ok: false,
      result: 'refused',
      error: expect.stringMatching(/^phone: .*outside the US/),
    });
    expect(tollFree).toMatchObject({
      ok: false,
      result: 'refused',
      error: expect.stringMatching(/^phone: toll-free/),
    });
    expect(reply.body.summary).toMatchObject({ refused: 2 });
    expect(kept).toMatchObject({ ok: true, smsImpossible: expect.stringMatching(/landline/) });
    expect(fine.ok).toBe(true);
    expect(fine.smsImpossible).toBeUndefined();
  });
});
