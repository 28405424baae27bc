import { useTestRuntime } from './runtime-fixture';

// Monday 10:00 in Miami.
const MONDAY_MORNING = new Date('2026-11-23T15:00:00Z');

const e2e = useTestRuntime({ demoAgent: false, clockStart: MONDAY_MORNING });
const { call, text, inbox } = e2e;

async function agentWithConsentedContact(name: string, sender: string, phone: string) {
  const agent = await e2e.newAgent({ name, senderNumber: sender, forwardTo: '+13055550199' });
  await call('PUT', `/v1/contacts/${phone}`, agent.apiKey, { name: 'Sam Lee', state: 'FL' });
  await e2e.writtenConsent(agent.apiKey, phone, {
    at: '2026-11-20T16:00:00Z',
    evidence: 'listing agreement, SMS clause',
    capturedBy: name,
  });
  return agent;
}

describe('opting out by text, end to end', () => {
  it('confirms a STOP once per sender, blocks every agent afterwards, and START restores only the agent it was sent to', async () => {
    // prepare
    const phone = '+13055550140';
    const agentA = await agentWithConsentedContact('Dana Reyes', '+13055550110', phone);
    const agentB = await agentWithConsentedContact('Lee Park', '+13055550111', phone);

    // act
    const stop = await text(phone, '+13055550110', 'STOP');
    const optOuts = await e2e.runtime.deps.stores.optouts.list(phone);
    await text(phone, '+13055550110', 'Stop');
    await text(phone, '+13055550111', 'unsubscribe');
    await e2e.runtime.settle();
    const afterStop = await inbox(phone);
    const fromA = await call('POST', '/v1/messages', agentA.apiKey, {
      to: phone,
      body: 'Dana Reyes: one more thing',
    });
    const fromB = await call('POST', '/v1/messages', agentB.apiKey, { to: phone, body: 'Lee Park: hello' });
    // The test clock stands still: let a minute pass so START is later than STOP, as it would be.
    await e2e.runtime.advanceClock(new Date(MONDAY_MORNING.getTime() + 60_000));
    await text(phone, '+13055550110', 'START');
    await e2e.runtime.settle();
    const afterStartA = await call('POST', '/v1/messages', agentA.apiKey, {
      to: phone,
      body: 'Dana Reyes: welcome back',
    });
    const afterStartB = await call('POST', '/v1/messages', agentB.apiKey, {
      to: phone,
      body: 'Lee Park: hi again',
    });
    await e2e.runtime.settle();

    // assess
    expect(stop.status).toBe(200);
    expect(optOuts).toHaveLength(1); // durable before the webhook answered
    // Exactly one confirmation reaches the phone: Twilio's own (the number is on no Messaging
    // Service with Advanced Opt-Out, so it is Twilio's default text); ConsentLine sends none.
    // The second STOP to A is not answered again; B's sender, texted separately, answers once.
    const confirmations = afterStop.filter((message) => /unsubscribed/.test(message.body));
    expect(confirmations.map((message) => [message.from, message.origin])).toEqual([
      ['+13055550110', 'keyword'],
      ['+13055550111', 'keyword'],
    ]);
    expect(confirmations[0]?.body).toMatch(/Reply START to resubscribe/);
    expect(fromA.body.verdict).toBe('block');
    expect(fromB.body.verdict).toBe('block');
    expect(fromB.body.receipt.reasons).toEqual([
      'the number is on the global opt-out list',
      expect.stringMatching(/^Twilio blocks \+13055550111 .*texting START/),
    ]);
    expect(afterStartA.body.verdict).toBe('send');
    expect(afterStartB.body.verdict).toBe('block');
    const received = (await inbox(phone)).map((message) => message.body);
    expect(received.some((body) => body.includes('welcome back'))).toBe(true);
    expect(received.some((body) => body.includes('hi again'))).toBe(false);
  });

  it('holds a text typed at 22:00 in Miami and sends it at 08:00 unless the contact opts out first', async () => {
    // prepare
    const night = new Date('2026-11-25T03:00:00Z'); // Tue 22:00 EST
    await e2e.runtime.advanceClock(night);
    const agent = await agentWithConsentedContact('Ana Ortiz', '+13055550112', '+13055550141');
    await call('PUT', '/v1/contacts/3055550142', agent.apiKey, { name: 'Kim', state: 'FL' });
    await call('POST', '/v1/contacts/3055550142/consent', agent.apiKey, {
      type: 'express_written',
      method: 'e_sign',
      at: '2026-11-20T16:00:00Z',
      capturedBy: 'Ana Ortiz',
      evidence: 'e-sign envelope 42',
      channel: 'sms',
    });

    // act
    const kept = await call('POST', '/v1/messages', agent.apiKey, {
      to: '+13055550141',
      body: 'Ana Ortiz: see you at 9',
    });
    const revoked = await call('POST', '/v1/messages', agent.apiKey, {
      to: '+13055550142',
      body: 'Ana Ortiz: see you at 9',
    });
    await text('+13055550142', '+13055550112', 'please stop texting me');
    await e2e.runtime.advanceClock(new Date('2026-11-25T15:00:00Z'));

    // assess
    expect(kept.body.verdict).toBe('hold');
    // A Florida contact may be in the Central panhandle: 08:00 Central is the first allowed minute.
    expect(kept.body.releaseAt).toBe('2026-11-25T14:00:00.000Z');
    const keptNow = await call('GET', `/v1/messages/${kept.body.messageId}`, agent.apiKey);
    const revokedNow = await call('GET', `/v1/messages/${revoked.body.messageId}`, agent.apiKey);
    expect(keptNow.body.status ?? keptNow.body.message?.status).toMatch(/sent|delivered/);
    expect(revokedNow.body.status ?? revokedNow.body.message?.status).toBe('blocked');
    expect((await inbox('+13055550142')).filter((m) => m.body.includes('see you at 9'))).toHaveLength(0);
  });
});
