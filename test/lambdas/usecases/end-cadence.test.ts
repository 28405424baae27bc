import { appendConsent } from '../../../lambdas/usecases/append-consent';
import { endCadenceAfterConsentEnds } from '../../../lambdas/usecases/end-cadence';
import { enrollContact } from '../../../lambdas/usecases/enroll';
import { useCadenceFixture } from './cadence-fixture';

const START = '2026-03-10T15:00:00.000Z';

describe('endCadenceAfterConsentEnds', () => {
  const f = useCadenceFixture(START);

  it('stops the enrollment and cancels every pending step when the agent logs a revocation', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { name: 'Maria Lopez' });
    const started = await enrollContact(f.deps, agent, contact.phone);
    f.clock.set('2026-03-11T15:00:00.000Z');

    // act
    const { event } = await appendConsent(f.deps, agent, contact.phone, {
      type: 'revocation',
      channel: 'sms',
      receivedVia: 'voice',
      method: 'verbal_call',
      at: '2026-03-11T14:00:00.000Z',
      evidence: '"stop texting me" on a call',
    });

    // assess
    const stored = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
    expect(stored?.enrollment).toMatchObject({
      status: 'stopped',
      stoppedByEvent: event.id,
      stoppedReason: expect.stringContaining('revocation'),
    });
    const messages = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    const steps = messages.filter((message) => message.kind === 'drip');
    expect(steps).toHaveLength(started.steps.length);
    for (const step of steps) {
      expect(step.status).toBe('cancelled');
      expect(step.history.at(-1)?.reasons).toEqual([stored?.enrollment?.stoppedReason]);
    }
  });

  it('leaves an enrollment running when the revocation covers another channel before revoke-all', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    await enrollContact(f.deps, agent, contact.phone);

    // act
    await appendConsent(f.deps, agent, contact.phone, {
      type: 'revocation',
      channel: 'email',
      receivedVia: 'email',
      at: START,
      evidence: 'unsubscribe from emails',
    });

    // assess
    const stored = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
    expect(stored?.enrollment?.status).toBe('active');
  });

  it("stops every agent's enrollment a global opt-out leaves without consent", async () => {
    // prepare
    const first = await f.newAgent();
    const second = await f.newAgent();
    const contact = await f.newContact(first);
    await f.deps.stores.contacts.upsert(second.agentId, contact.phone, {}, START);
    await f.appendConsent(
      { agentId: second.agentId, phone: contact.phone },
      {
        type: 'express_written',
        at: '2026-03-01T15:00:00.000Z',
        method: 'e_sign',
        capturedBy: 'Lee Park',
        evidence: 'e-signed texting consent',
      },
    );
    await enrollContact(f.deps, first, contact.phone);
    await enrollContact(f.deps, second, contact.phone);
    const optOut = await f.deps.stores.optouts.record(
      { phone: contact.phone, at: START, source: 'carrier_21610', words: '21610' },
      START,
    );

    // act
    const stopped = await endCadenceAfterConsentEnds(f.deps, {
      phone: contact.phone,
      eventId: optOut.id,
      reason: 'Twilio error 21610',
      everyAgent: true,
    });

    // assess
    expect(stopped.map((entry) => entry.agentId).sort()).toEqual([first.agentId, second.agentId].sort());
    for (const agent of [first, second]) {
      const stored = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
      expect(stored?.enrollment).toMatchObject({ status: 'stopped', stoppedByEvent: optOut.id });
    }
  });
});
