import type { Agent } from '../../../lambdas/ports';
import { receiveInboundSms } from '../../../lambdas/usecases/inbound-sms';
import { revocationVersion } from '../../../lambdas/rules/revocation';
import { keywordRules } from '../../../lambdas/rules/keywords';
import { randomPhone, textTo, useTwilioFixture } from '../handlers/twilio/fixture';

describe('receiveInboundSms with a natural-language revocation', () => {
  const fx = useTwilioFixture();

  beforeEach(() => {
    fx.enqueue.mockClear();
  });

  const confirmations = async (agent: Agent, phone: string) =>
    (await fx.deps.stores.messages.listByContact(agent.agentId, phone)).filter((message) =>
      message.messageId.startsWith('optout_'),
    );

  it.each([
    [
      'how the revocation was heard: the exact words, certainty, rule and rules version',
      'Por favor no me envíe más mensajes',
      {
        evidence: 'Por favor no me envíe más mensajes',
        source: 'revocation_phrase',
        certainty: 'clear',
        rule: expect.stringMatching(/^es\./),
        rulesVersion: revocationVersion,
        language: 'es',
      },
    ],
    [
      'a likely revocation as likely, and honours it',
      'Not interested',
      { certainty: 'likely', rule: 'en.not-interested' },
    ],
    [
      'the keyword rule and keyword rules version for a bare STOP',
      'STOP',
      { evidence: 'STOP', certainty: 'clear', rule: 'keyword.opt_out', rulesVersion: keywordRules.version },
    ],
  ])('records %s', async (_what, body, recorded) => {
    // prepare
    const agent = await fx.newAgent();
    const phone = randomPhone();
    await fx.consent(agent, phone);

    // act
    const outcome = await receiveInboundSms(fx.deps, textTo(agent, phone, body));

    // assess
    expect(outcome.kind).toBe('opted_out');
    const revocation = (await fx.deps.stores.ledger.list(agent.agentId, phone)).find(
      (event) => event.type === 'revocation',
    );
    expect(revocation).toMatchObject(recorded);
    expect((await fx.gate(agent, phone)).verdict).toBe('block');
  });

  it('confirms a Spanish revocation once, in Spanish', async () => {
    // prepare
    const agent = await fx.newAgent({ name: 'Ana Ruiz', brokerage: 'Casa Realty' });
    const phone = randomPhone();
    await fx.consent(agent, phone);

    // act
    await receiveInboundSms(fx.deps, textTo(agent, phone, 'no me mande mas mensajes'));
    await receiveInboundSms(fx.deps, textTo(agent, phone, 'Ya no me escriba'));

    // assess
    const sent = await confirmations(agent, phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatch(/^Ana Ruiz \(Casa Realty\): .*dado de baja.*START/);
  });

  it('confirms an English revocation in English', async () => {
    // prepare
    const agent = await fx.newAgent({ name: 'Dana Reyes' });
    const phone = randomPhone();
    await fx.consent(agent, phone);

    // act
    await receiveInboundSms(fx.deps, textTo(agent, phone, 'please stop texting me'));

    // assess
    const sent = await confirmations(agent, phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatch(/You have been unsubscribed/);
  });

  it('forwards a hard negative to the agent and leaves consent alone', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = randomPhone();
    await fx.consent(agent, phone);

    // act
    const outcome = await receiveInboundSms(fx.deps, textTo(agent, phone, 'No más de 350 mil, por favor'));

    // assess
    expect(outcome.kind).toBe('forwarded');
    expect((await fx.gate(agent, phone)).verdict).not.toBe('block');
  });
});
