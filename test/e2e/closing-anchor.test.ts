import { defaultCadence } from '../../lambdas/rules/cadence';
import { dateIn } from '../support/wall-clock';
import { useTestRuntime } from './runtime-fixture';

const ENROLLED = new Date('2026-11-23T15:00:00Z');
const CLOSING = '2023-11-01'; // three years and three weeks before the enrollment
const ZONE = 'America/Chicago';
const contact = {
  phone: '+13125550171',
  name: 'Maria Lopez',
  state: 'IL',
  timeZone: ZONE,
  closingDate: CLOSING,
};

const e2e = useTestRuntime({ demoAgent: false, clockStart: ENROLLED });
const { call } = e2e;

type Step = { step?: number; kind: string; status: string; dueAt?: string; twilioSid?: string; body: string };

describe('a cadence anchored to a closing three years before the enrollment', () => {
  it('skips the welcome and early steps with why, and sends the next anniversary on the closing anniversary', async () => {
    // prepare
    const agent = await e2e.newAgent({ senderNumber: '+13125550150', forwardTo: '+13125550199' });
    const { phone, ...fields } = contact;
    expect((await call('PUT', `/v1/contacts/${phone}`, agent.apiKey, fields)).status).toBeLessThan(300);
    await e2e.writtenConsent(agent.apiKey, phone, {
      at: '2026-11-20T16:00:00Z',
      evidence: 'past-client follow-up form, SMS clause',
    });

    // act
    const enrolled = await call('POST', `/v1/contacts/${phone}/enroll`, agent.apiKey);
    const preview = await call('GET', `/v1/contacts/${phone}/messages`, agent.apiKey);
    const stops = (preview.body.messages as Step[]).flatMap((message) =>
      message.dueAt ? [new Date(message.dueAt)] : [],
    );
    const untilAfterAnniversary = new Date('2027-11-03T00:00:00Z');
    await e2e.runtime.advanceClock(untilAfterAnniversary, { stops });

    // assess: the skipped steps, with why
    expect(enrolled.status).toBe(201);
    const welcome = defaultCadence.steps.filter((step) => step.anchor === 'closing' && 'days' in step.offset);
    const skipped = preview.body.skipped as { step: number; reason: string }[];
    expect(skipped.map((step) => step.step)).toEqual(
      expect.arrayContaining(welcome.map((step) => step.step)),
    );
    for (const step of skipped) {
      expect(step.reason).toMatch(
        new RegExp(`moment had passed: .* the closing on ${CLOSING}, before the enrollment`),
      );
    }
    expect(preview.body.enrollment.closing).toEqual({ date: CLOSING, source: 'closingDate' });

    // assess: what reached the phone
    const outbox = e2e.runtime.twilio.outbox().filter((entry) => entry.to === phone);
    expect(
      outbox.some((entry) => /trusting me with your move|settling in|one month in/i.test(entry.body)),
    ).toBe(false);
    const listed = (await call('GET', `/v1/contacts/${phone}/messages`, agent.apiKey)).body
      .messages as Step[];
    const drips = listed.filter((message) => message.kind === 'drip');
    expect(drips.some((message) => skipped.some((skip) => skip.step === message.step))).toBe(false);
    const anniversary = drips.find((message) => message.step === 14)!;
    expect(anniversary.status).toBe('delivered');
    const sent = outbox.find((entry) => entry.sid === anniversary.twilioSid)!;
    expect(dateIn(ZONE, sent.at)).toBe('2027-11-01');
    expect(sent.body).toContain('Happy 4-year home anniversary, Maria!');
    // Steps counted from the enrollment went out meanwhile, each once.
    const deliveredSteps = drips
      .filter((message) => message.status === 'delivered')
      .map((message) => message.step);
    expect(new Set(deliveredSteps).size).toBe(deliveredSteps.length);
    expect(deliveredSteps.length).toBeGreaterThan(1);
  }, 300_000);
});
