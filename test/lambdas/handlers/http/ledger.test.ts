import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { httpFixture, randomPhone, type HttpFixture } from './fixture';
import { ledgerEntry } from '../../../../lambdas/adapters/dynamo/phone-items';

let fx: HttpFixture;
beforeAll(async () => {
  fx = await httpFixture();
});

const verify = (phone: string, key: string) => fx.request('ledger.verify', { query: { phone }, apiKey: key });

const textReply = { method: 'text_reply', capturedBy: 'sms', evidence: 'YES' };
const contactWithConsent = (apiKey: string, phone: string) =>
  fx.consentedContact(apiKey, {
    phone,
    contact: {},
    consent: ['2026-03-01T10:00:00Z', '2026-03-02T10:00:00Z'].map((at) => ({ ...textReply, at })),
  });

describe('GET /v1/ledger/verify', () => {
  it("verifies an agent's own chain and lets the admin verify every chain of the phone", async () => {
    // prepare
    const [a, b] = [await fx.newAgent(), await fx.newAgent()];
    const phone = randomPhone();
    await contactWithConsent(a.apiKey, phone);
    await contactWithConsent(b.apiKey, phone);

    // act
    const asAgent = await verify(phone, a.apiKey);
    const asAdmin = await verify(phone, fx.adminKey);

    // assess
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).toEqual({
      phone,
      ok: true,
      chains: [expect.objectContaining({ events: 2, ok: true })],
    });
    expect(asAgent.body.chains[0].chainId).toContain(a.agentId);
    expect(asAdmin.body.ok).toBe(true);
    // both agents' chains, then the phone's opt-out chain
    expect(asAdmin.body.chains).toHaveLength(3);
    expect(asAdmin.body.chains[2]).toMatchObject({ chainId: expect.stringMatching(/^optouts#/), ok: true });
  });

  it('reports the first broken link after a ledger item is edited in the table', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = randomPhone();
    await contactWithConsent(agent.apiKey, phone);
    const [first] = await fx.deps.stores.ledger.list(agent.agentId, phone);
    await fx.db.send(
      new UpdateCommand({
        TableName: fx.tables.ledger,
        Key: { phone, entry: ledgerEntry(agent.agentId, 1) },
        UpdateExpression: 'SET evidence = :forged',
        ExpressionAttributeValues: { ':forged': 'signed form (forged)' },
      }),
    );

    // act
    const reply = await verify(phone, agent.apiKey);

    // assess
    expect(reply.body.ok).toBe(false);
    expect(reply.body.chains[0].firstBroken).toMatchObject({ seq: 1, id: first?.id });
  });

  it('answers 400 naming query.phone when the phone is missing or invalid', async () => {
    // prepare
    const agent = await fx.newAgent();

    // act
    const missing = await fx.request('ledger.verify', { apiKey: agent.apiKey });
    const invalid = await verify('12', agent.apiKey);

    // assess
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('query.phone: is required');
    expect(invalid.body.message).toMatch(/^query\.phone: /);
  });
});
