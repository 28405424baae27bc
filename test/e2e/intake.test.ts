import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../lambdas/local/engines/aws-clients';
import { useTestRuntime } from './runtime-fixture';
import { ledgerEntry } from '../../lambdas/adapters/dynamo/phone-items';

const e2e = useTestRuntime({ demoAgent: false, clockStart: new Date('2026-11-23T15:00:00Z') });
const { call } = e2e;

/** An agent of Harbor Realty on `senderNumber`, made through the admin API. */
const newAgent = (name: string, senderNumber: string) =>
  e2e.newAgent({ name, senderNumber, forwardTo: '+13055550199' });

describe('agent intake over HTTP (local runtime)', () => {
  it('records a contact and its consent, and answers whether it may be texted', async () => {
    const agent = await newAgent('Dana Reyes', '+13055550100');

    const put = await call('PUT', '/v1/contacts/(305)%20555-0123', agent.apiKey, {
      name: 'Sam Lee',
      state: 'FL',
    });
    const logged = await e2e.writtenConsent(agent.apiKey, '3055550123', {
      at: '2026-11-01T10:00:00Z',
      evidence: 'listing agreement page 4, SMS clause v2',
    });
    const read = await call('GET', '/v1/contacts/+13055550123', agent.apiKey);

    expect(put.body.phone).toBe('+13055550123');
    expect(logged.status).toBe(201);
    expect(read.status).toBe(200);
    expect(read.body.consent).toMatchObject({
      badge: 'consented',
      permits: { automated: true, manual: true },
    });
  });

  it('refuses a business card as consent with the reason, and writes nothing', async () => {
    const agent = await newAgent('Lee Park', '+13055550101');
    await call('PUT', '/v1/contacts/3055550124', agent.apiKey, { name: 'Ana' });

    const refused = await call('POST', '/v1/contacts/3055550124/consent', agent.apiKey, {
      type: 'express_written',
      method: 'business_card',
      at: '2026-11-01T10:00:00Z',
      capturedBy: 'Lee Park',
      evidence: 'card left at open house',
      channel: 'sms',
    });
    const history = await call('GET', '/v1/contacts/3055550124/consent', agent.apiKey);

    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/business card implies a call, not texts/);
    expect(history.body.history ?? history.body.events ?? []).toHaveLength(0);
  });

  it('answers another agent’s contact with 404', async () => {
    const owner = await newAgent('Owner', '+13055550102');
    const other = await newAgent('Other', '+13055550103');
    await call('PUT', '/v1/contacts/3055550125', owner.apiKey, { name: 'Private' });

    const peek = await call('GET', '/v1/contacts/3055550125', other.apiKey);
    const peekConsent = await call('GET', '/v1/contacts/3055550125/consent', other.apiKey);

    expect(peek.status).toBe(404);
    expect(peekConsent.status).toBe(404);
  });

  it('detects a ledger item edited directly in the table', async () => {
    const agent = await newAgent('Tamper Test', '+13055550104');
    await call('PUT', '/v1/contacts/3055550126', agent.apiKey, {});
    for (const evidence of ['first', 'second', 'third']) {
      await call('POST', '/v1/contacts/3055550126/consent', agent.apiKey, {
        type: 'ebr_inquiry',
        method: 'web_form',
        at: '2026-11-02T10:00:00Z',
        capturedBy: 'site',
        evidence,
        channel: 'sms',
      });
    }
    const before = await call('GET', '/v1/ledger/verify?phone=3055550126', agent.apiKey);

    await localDynamoClient(e2e.runtime.engines.dynamoEndpoint).send(
      new UpdateItemCommand({
        TableName: e2e.runtime.engines.tables.ledger,
        Key: { phone: { S: '+13055550126' }, entry: { S: ledgerEntry(agent.agentId, 2) } },
        UpdateExpression: 'SET evidence = :e',
        ExpressionAttributeValues: { ':e': { S: 'rewritten' } },
      }),
    );
    const after = await call('GET', '/v1/ledger/verify?phone=3055550126', agent.apiKey);

    expect(JSON.stringify(before.body)).toMatch(/"ok":true/);
    expect(JSON.stringify(after.body)).toMatch(/"ok":false/);
    expect(JSON.stringify(after.body)).toMatch(/"seq":2/);
  });
});
