import { useTestRuntime } from './runtime-fixture';

// Monday 10:00 in New York.
const MONDAY_MORNING = new Date('2026-11-23T15:00:00Z');
const minutesLater = (minutes: number) => new Date(MONDAY_MORNING.getTime() + minutes * 60_000);

const e2e = useTestRuntime({ demoAgent: false, clockStart: MONDAY_MORNING });
const { call, text, inbox } = e2e;

describe('from oral consent to a written YES and back out with STOP, end to end', () => {
  it('refuses to enroll on oral consent, asks by text, enrolls on YES, and STOP stops the cadence with one confirmation', async () => {
    // prepare
    const phone = '+12125550160';
    const sender = '+12125550110';
    const agent = await e2e.newAgent({ senderNumber: sender, forwardTo: '+12125550199' });
    await call('PUT', `/v1/contacts/${phone}`, agent.apiKey, { name: 'Sam Lee', state: 'NY' });
    const oral = await call('POST', `/v1/contacts/${phone}/consent`, agent.apiKey, {
      type: 'express_oral',
      method: 'verbal_call',
      at: '2026-11-20T16:00:00Z',
      capturedBy: 'Dana Reyes',
      evidence: '"sure, text me about homes" on a call',
    });

    // act: oral consent is not enough for the cadence
    const refused = await call('POST', `/v1/contacts/${phone}/enroll`, agent.apiKey);
    // act: the consent request, answered YES a minute later
    const request = await call('POST', `/v1/contacts/${phone}/consent-request`, agent.apiKey);
    const second = await call('POST', `/v1/contacts/${phone}/consent-request`, agent.apiKey);
    await e2e.runtime.settle();
    const requestText = (await inbox(phone)).at(-1);
    await e2e.runtime.advanceClock(minutesLater(1));
    await text(phone, sender, 'YES');
    await e2e.runtime.settle();
    const afterYes = await call('GET', `/v1/contacts/${phone}/consent`, agent.apiKey);
    const enrolled = await call('POST', `/v1/contacts/${phone}/enroll`, agent.apiKey);
    await e2e.runtime.settle();
    // act: STOP a few minutes later
    await e2e.runtime.advanceClock(minutesLater(5));
    const beforeStop = (await inbox(phone)).length;
    await text(phone, sender, 'STOP');
    await e2e.runtime.settle();
    const afterStop = (await inbox(phone)).slice(beforeStop);
    const contact = await call('GET', `/v1/contacts/${phone}`, agent.apiKey);
    const messages = await call('GET', `/v1/contacts/${phone}/messages`, agent.apiKey);

    // assess: oral consent and the refused enrollment
    expect(oral.body.consent).toMatchObject({
      badge: 'oral_only',
      permits: { automated: false, manual: true, consentRequest: true },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('consent_required');
    expect(refused.body.message).toMatch(/oral consent permits manual texts only.*consent request/);
    // assess: one request, as a manual text naming agent, brokerage, rates, YES and STOP
    expect(request.status).toBe(202);
    expect(request.body.verdict).toBe('send');
    expect(second.status).toBe(409);
    expect(requestText?.body).toMatch(
      /^Dana Reyes \(Harbor Realty\): .*22 msgs over 10 years.*Msg & data rates may apply\. Reply YES to agree, STOP to opt out\.$/,
    );
    // assess: the YES is written consent naming the request and the exact reply
    expect(afterYes.body.consent).toMatchObject({ badge: 'consented', reliedOn: { method: 'text_reply' } });
    const yes = afterYes.body.history.find(
      (entry: { type?: string; method?: string }) => entry.type === 'express_written',
    );
    expect(yes.evidence).toBe(`reply "YES" to consent request ${request.body.messageId}`);
    expect(enrolled.status).toBe(201);
    // assess: STOP ended the cadence, cancelled every pending step, and one confirmation came
    expect(contact.body.consent.badge).toBe('opted_out');
    expect(contact.body.contact.enrollment).toMatchObject({
      status: 'stopped',
      stoppedReason: expect.stringContaining('STOP'),
      stoppedByEvent: expect.any(String),
    });
    const steps = (messages.body.messages as Array<{ kind: string; status: string }>).filter(
      (message) => message.kind === 'drip',
    );
    expect(steps.length).toBe(enrolled.body.steps.length);
    expect(steps.every((step) => step.status === 'cancelled')).toBe(true);
    expect(afterStop.filter((message) => /unsubscribed/i.test(message.body))).toHaveLength(1);
    expect(afterStop).toHaveLength(1);
  });
});
