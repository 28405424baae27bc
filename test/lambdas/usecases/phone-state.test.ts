import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { optOutEntry, STATE_ENTRY } from '../../../lambdas/adapters/dynamo/phone-items';
import { recipientKey } from '../../../lambdas/adapters/dynamo/recipient-item';
import { appendConsent } from '../../../lambdas/usecases/append-consent';
import { receiveInboundSms } from '../../../lambdas/usecases/inbound-sms';
import { verifyLedger } from '../../../lambdas/usecases/verify-ledger';
import { newMessageSid, randomPhone, twilioFixture, type TwilioFixture } from '../handlers/twilio/fixture';

describe("a phone's derived state", () => {
  let fx: TwilioFixture;

  beforeAll(async () => {
    fx = await twilioFixture();
  });

  const later = (ms: number) => fx.clock.advanceTo(new Date(fx.clock.now().getTime() + ms));
  const text = (to: string, from: string, body: string) =>
    receiveInboundSms(fx.deps, { messageSid: newMessageSid(), from, to, body });

  it('moves with every writer — consent API, STOP, START, 21610, reassignment — and verifies against the records', async () => {
    // prepare
    const [a, b] = [await fx.newAgent(), await fx.newAgent()];
    const phone = randomPhone();
    const versions: number[] = [];
    const verified = async () => {
      const result = await verifyLedger(fx.deps, 'all_agents', phone);
      versions.push(result.state?.version ?? 0);
      return result;
    };

    await fx.deps.stores.contacts.upsert(a.agentId, phone, {}, fx.clock.now().toISOString());

    // act
    await appendConsent(fx.deps, a, phone, {
      type: 'express_written',
      channel: 'sms',
      at: '2026-03-01T10:00:00.000Z',
      method: 'e_sign',
      capturedBy: 'Dana Reyes',
      evidence: 'e-signed texting consent',
    });
    const afterConsent = await verified();
    later(60_000);
    await text(b.senderNumber, phone, 'STOP');
    const afterStop = await verified();
    later(60_000);
    await text(a.senderNumber, phone, 'START');
    const afterStart = await verified();
    later(60_000);
    const carrier = await fx.deps.stores.optouts.record(
      { phone, at: fx.clock.now().toISOString(), source: 'carrier_21610', words: '21610' },
      fx.clock.now().toISOString(),
    );
    const afterCarrier = await verified();
    const reassigned = await fx.deps.stores.numbers.recordReassignment({
      phone,
      at: '2026-03-10T00:00:00.000Z',
      lastVerifiedDate: '2026-03-09',
      recordedAt: fx.clock.now().toISOString(),
      source: 'twilio_lookup',
    });
    // the same reassignment found again writes nothing
    await fx.deps.stores.numbers.recordReassignment({ ...reassigned });
    const afterReassignment = await verified();

    // assess: each verification is whole, and each writer moved the state by its records
    for (const result of [afterConsent, afterStop, afterStart, afterCarrier, afterReassignment]) {
      expect(result.state).toEqual({ ok: true, version: expect.any(Number), differences: [] });
      expect(result.ok).toBe(true);
    }
    // consent 1; STOP: revocation + opt-out; START 1; 21610 1; one reassignment
    expect(versions).toStrictEqual([1, 3, 4, 5, 6]);
    const { state } = await fx.deps.stores.ledger.readPhone(phone);
    expect(state).toMatchObject({
      lastOptOutAt: carrier.at,
      lastReassignedAt: reassigned.at,
      optOuts: { seq: 2, hash: carrier.hash },
    });
    expect(Object.keys(state?.chains ?? {}).sort()).toStrictEqual([a.agentId, b.agentId].sort());
  });

  it('reports every difference when the stored state no longer adds up to the records', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = randomPhone();
    await text(agent.senderNumber, phone, 'STOP');
    const { state } = await fx.deps.stores.ledger.readPhone(phone);
    await fx.db.send(
      new PutCommand({
        TableName: fx.tables.ledger,
        Item: { ...state, entry: STATE_ENTRY, version: 7, lastOptOutAt: '2020-01-01T00:00:00.000Z' },
      }),
    );

    // act
    const result = await verifyLedger(fx.deps, 'all_agents', phone);

    // assess
    expect(result.ok).toBe(false);
    expect(result.state?.ok).toBe(false);
    expect(result.state?.differences).toStrictEqual([
      'version: stored 7, recomputed 2',
      `latest opt-out: stored 2020-01-01T00:00:00.000Z, recomputed ${state?.lastOptOutAt}`,
    ]);
  });

  it("reports a send claim's copy of the version that no longer is the state's", async () => {
    // prepare: the copy on the phone's counters item moved back, as a lost write would leave it
    const agent = await fx.newAgent();
    const phone = randomPhone();
    await text(agent.senderNumber, phone, 'STOP');
    const before = await verifyLedger(fx.deps, 'all_agents', phone);
    await fx.db.send(
      new UpdateCommand({
        TableName: fx.tables.counters,
        Key: { key: recipientKey(phone) },
        UpdateExpression: 'SET consentVersion = :stale',
        ExpressionAttributeValues: { ':stale': 1 },
      }),
    );

    // act
    const result = await verifyLedger(fx.deps, 'all_agents', phone);

    // assess
    expect(before.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.state?.differences).toStrictEqual([
      "the send claim's copy of the version: stored 1, recomputed 2",
    ]);
  });

  it('reports an opt-out edited in place, in its chain and in the state', async () => {
    // prepare: an unconditioned put over the opt-out, moving its instant
    const agent = await fx.newAgent();
    const phone = randomPhone();
    await text(agent.senderNumber, phone, 'STOP');
    const [recorded] = await fx.deps.stores.optouts.list(phone);
    await fx.db.send(
      new PutCommand({
        TableName: fx.tables.ledger,
        Item: { ...recorded, entry: optOutEntry(1), at: '2026-01-01T00:00:00.000Z' },
      }),
    );

    // act
    const result = await verifyLedger(fx.deps, 'all_agents', phone);

    // assess
    expect(result.ok).toBe(false);
    expect(result.chains.at(-1)).toMatchObject({ ok: false, firstBroken: { seq: 1 } });
    expect(result.state?.differences).toStrictEqual([
      `latest opt-out: stored ${recorded?.at}, recomputed 2026-01-01T00:00:00.000Z`,
    ]);
  });
});
