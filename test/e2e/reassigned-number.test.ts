import { useTestRuntime } from './runtime-fixture';

// Monday 2026-01-12, 10:00 in New York.
const ENROLLED = new Date('2026-01-12T15:00:00Z');
const REASSIGNED = '2026-06-01T00:00:00Z';
const phone = '+12125550177';

const e2e = useTestRuntime({ demoAgent: false, clockStart: ENROLLED });
const { call } = e2e;

const newAgent = (senderNumber: string) => e2e.newAgent({ senderNumber, forwardTo: '+13055550199' });

async function writtenConsent(apiKey: string, at: string) {
  const reply = await e2e.writtenConsent(apiKey, phone, { at, evidence: 'buyer agreement, SMS clause' });
  expect(reply.status).toBeLessThan(300);
}

describe('a number reassigned during the cadence', () => {
  it('blocks the July step for every agent, shows why, and a new written consent after it permits again', async () => {
    // prepare: two agents with January written consent for the same phone
    const dana = await newAgent('+13055550151');
    const omar = await newAgent('+13055550152');
    for (const agent of [dana, omar]) {
      await call('PUT', `/v1/contacts/${phone}`, agent.apiKey, { name: 'Sam Lee', state: 'NY' });
      await writtenConsent(agent.apiKey, '2026-01-10T16:00:00Z');
    }
    expect((await call('POST', `/v1/contacts/${phone}/enroll`, dana.apiKey)).status).toBe(201);
    const upcoming = (await call('GET', `/v1/contacts/${phone}/messages`, dana.apiKey)).body.messages as {
      messageId: string;
      dueAt?: string;
    }[];
    const dueTimes = upcoming.filter((message) => message.dueAt).map((message) => new Date(message.dueAt!));
    const julyStep = upcoming.find((message) => message.dueAt?.startsWith('2026-07'));
    expect(julyStep).toBeDefined();
    const mayStep = upcoming
      .filter((message) => message.dueAt !== undefined && message.dueAt < REASSIGNED)
      .at(-1)!;

    // act: the number changes hands on 1 June; the clock walks to the day after the July step
    const declared = await call('POST', `/local/numbers/${phone}`, undefined, { reassignedAt: REASSIGNED });
    const after = new Date(Date.parse(julyStep!.dueAt!) + 86_400_000);
    await e2e.runtime.advanceClock(after, { stops: [...dueTimes.filter((at) => at <= after), after] });

    // assess: the steps before June went, the July step is blocked with the reason
    expect(declared.status).toBe(200);
    const may = (await call('GET', `/v1/messages/${mayStep.messageId}`, dana.apiKey)).body;
    expect(may.status).toMatch(/sent|delivered/);
    const july = (await call('GET', `/v1/messages/${julyStep!.messageId}`, dana.apiKey)).body;
    expect(july.status).toBe('blocked');
    expect(july.receipt.reasons.join(' ')).toMatch(/reassigned since/);
    const received = e2e.runtime.twilio.outbox().filter((entry) => entry.to === phone);
    expect(received.length).toBeGreaterThan(0);
    expect(received.filter((entry) => entry.at >= REASSIGNED)).toEqual([]);

    // assess: the consent view says so, for this agent and the other one
    for (const agent of [dana, omar]) {
      const contact = (await call('GET', `/v1/contacts/${phone}`, agent.apiKey)).body;
      expect(contact.consent.permits.automated).toBe(false);
      expect(contact.consent.reason).toMatch(/reassigned/);
    }
    const otherAgentText = await call('POST', `/v1/contacts/${phone}/enroll`, omar.apiKey);
    expect(otherAgentText.status).toBe(422);

    // act: the new owner gives Dana written consent after the reassignment
    await writtenConsent(dana.apiKey, new Date(after.getTime() - 3_600_000).toISOString());

    // assess: Dana may text again; Omar still may not
    const danaNow = (await call('GET', `/v1/contacts/${phone}`, dana.apiKey)).body;
    const omarNow = (await call('GET', `/v1/contacts/${phone}`, omar.apiKey)).body;
    expect(danaNow.consent.permits.automated).toBe(true);
    expect(omarNow.consent.permits.automated).toBe(false);
  }, 300_000);
});
