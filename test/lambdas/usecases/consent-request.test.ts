import { requestConsent } from '../../../lambdas/usecases/consent-request';
import { Conflict } from '../../../lambdas/usecases/errors';
import { useCadenceFixture } from './cadence-fixture';

const START = '2026-03-10T15:00:00.000Z';

describe('requestConsent', () => {
  const f = useCadenceFixture(START);

  async function oralContact() {
    const agent = await f.newAgent({ name: 'Dana Reyes', brokerage: 'Harbor Realty' });
    const contact = await f.newContact(agent, { name: 'Sam Lee', state: 'NY' }, false);
    await f.appendConsent(contact, {
      type: 'express_oral',
      method: 'verbal_call',
      at: '2026-03-09T15:00:00.000Z',
      capturedBy: 'Dana Reyes',
      evidence: '"sure, text me" on a call',
    });
    return { agent, contact };
  }

  it('sends one manual text that names the agent and brokerage, the frequency, rates, YES and STOP', async () => {
    // prepare
    const { agent, contact } = await oralContact();

    // act
    const sent = await requestConsent(f.deps, agent, contact.phone);

    // assess
    expect(sent.verdict).toBe('send');
    const message = await f.deps.stores.messages.get(sent.messageId);
    expect(message).toMatchObject({ kind: 'consent_request', purpose: 'manual', status: 'queued' });
    for (const words of [
      'Dana Reyes (Harbor Realty)',
      '22 msgs over 10 years',
      'Msg & data rates may apply',
      'Reply YES to agree, STOP to opt out',
    ])
      expect(message?.body).toContain(words);
    expect(sent.receipt.consent).toMatchObject({ status: 'express_oral', permits: true });
    const stored = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
    expect(stored?.consentRequest).toEqual({ messageId: sent.messageId, sentAt: START });
  });

  it('answers 409 to a second request within 30 days and sends nothing more', async () => {
    // prepare
    const { agent, contact } = await oralContact();
    await requestConsent(f.deps, agent, contact.phone);
    f.clock.set('2026-03-25T15:00:00.000Z');

    // act
    const refusal = await requestConsent(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toBeInstanceOf(Conflict);
    expect(refusal).toMatchObject({ kind: 'conflict', code: 'consent_request_refused' });
    expect((refusal as Error).message).toContain('another may go from 2026-04-09');
    const messages = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    expect(messages.filter((message) => message.kind === 'consent_request')).toHaveLength(1);
  });

  it('allows a new request once 30 days have passed', async () => {
    // prepare
    const { agent, contact } = await oralContact();
    await requestConsent(f.deps, agent, contact.phone);
    f.clock.set('2026-04-09T15:00:00.000Z');

    // act
    const sent = await requestConsent(f.deps, agent, contact.phone);

    // assess
    expect(sent.verdict).not.toBe('block');
  });

  it.each([
    ['no consent', [], 'no_consent'],
    [
      'a revocation after the oral consent',
      [{ type: 'revocation' as const, at: '2026-03-10T14:00:00.000Z' }],
      'revoked',
    ],
  ])('answers 409 saying why for a contact with %s', async (_label, extra, badge) => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { state: 'NY' }, false);
    for (const event of extra) await f.appendConsent(contact, event);

    // act
    const refusal = await requestConsent(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toMatchObject({ kind: 'conflict', code: 'consent_request_refused', details: { badge } });
    expect(await f.deps.stores.messages.listByContact(agent.agentId, contact.phone)).toEqual([]);
  });

  it('answers 409 to a contact with written consent already', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);

    // act
    const refusal = await requestConsent(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toMatchObject({ kind: 'conflict', details: { badge: 'consented' } });
    expect((refusal as Error).message).toContain('written consent already');
  });
});
