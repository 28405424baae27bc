import { locateRecipient } from '../../lambdas/compliance/location';
import { defaultCadence } from '../../lambdas/rules/cadence';
import { oracleAllows } from '../lambdas/compliance/window-oracle';
import { useTestRuntime } from './runtime-fixture';

const ENROLLED = new Date('2026-11-23T15:00:00Z');
const STOP_AT = new Date('2029-06-12T16:00:00Z'); // year 3
/** Steps of the default cadence, from its data: no contact here has a closing date, so none is skipped. */
const STEPS = defaultCadence.steps.length;

const contacts = [
  { phone: '+13055550160', state: 'FL', name: 'Sam Lee' },
  { phone: '+15125550161', state: 'TX', name: 'Ana Ruiz' },
  { phone: '+14015550162', state: 'RI', name: 'Kim Cho' },
  { phone: '+18015550163', state: 'UT', name: 'Joe Hart' },
];

const e2e = useTestRuntime({ demoAgent: false, clockStart: ENROLLED });
const { call } = e2e;

describe('the 10-year cadence, walked with the test clock', () => {
  it('sends every step to each contact, each inside its window and off holidays, and a STOP in year 3 ends one', async () => {
    // prepare
    const agent = await e2e.newAgent({ senderNumber: '+13055550150', forwardTo: '+13055550199' });
    const dueTimes = new Set<number>([STOP_AT.getTime()]);
    for (const contact of contacts) {
      await call('PUT', `/v1/contacts/${contact.phone}`, agent.apiKey, {
        name: contact.name,
        state: contact.state,
      });
      await e2e.writtenConsent(agent.apiKey, contact.phone, {
        at: '2026-11-20T16:00:00Z',
        evidence: 'buyer agreement, SMS clause',
      });
      const enrolled = await call('POST', `/v1/contacts/${contact.phone}/enroll`, agent.apiKey);
      expect(enrolled.status).toBe(201);
      const upcoming = await call('GET', `/v1/contacts/${contact.phone}/messages`, agent.apiKey);
      for (const message of upcoming.body.messages)
        if (message.dueAt) dueTimes.add(Date.parse(message.dueAt));
    }
    const stops = [...dueTimes].map((time) => new Date(time));
    const stopper = contacts[1]!;

    // act
    await e2e.runtime.advanceClock(STOP_AT, { stops });
    await call('POST', '/local/phone/sms', undefined, {
      from: stopper.phone,
      to: '+13055550150',
      body: 'STOP',
    });
    await e2e.runtime.advanceClock(new Date('2036-12-31T00:00:00Z'), { stops });

    // assess
    const outbox = e2e.runtime.twilio.outbox();
    const results: Array<{ phone: string; delivered: number; cancelled: number; afterStop: string[] }> = [];
    for (const contact of contacts) {
      const listed = (await call('GET', `/v1/contacts/${contact.phone}/messages`, agent.apiKey)).body
        .messages as Array<{
        kind: string;
        status: string;
        twilioSid?: string;
        receipt?: { verdict: string; rulesVersions: string[] };
      }>;
      const drips = listed.filter((message) => message.kind === 'drip');
      const delivered = drips.filter((message) => message.status === 'delivered');
      const location = locateRecipient({ phone: contact.phone, state: contact.state });
      for (const message of delivered) {
        const sent = outbox.find((entry) => entry.sid === message.twilioSid);
        expect(sent).toBeDefined();
        expect(message.receipt?.verdict).toBe('send');
        expect(message.receipt?.rulesVersions.length).toBeGreaterThan(0);
        // Inside every candidate zone's window for the contact's states, and not on a holiday.
        expect([contact.phone, sent?.at, oracleAllows(location, new Date(sent!.at), 'automated')]).toEqual([
          contact.phone,
          sent?.at,
          true,
        ]);
      }
      results.push({
        phone: contact.phone,
        delivered: delivered.length,
        cancelled: drips.filter((message) => message.status === 'cancelled').length,
        afterStop: outbox
          // Twilio answers the STOP itself, at the very instant of the STOP (the clock stands still)
          .filter(
            (entry) =>
              entry.to === contact.phone &&
              (entry.at > STOP_AT.toISOString() ||
                (entry.origin === 'keyword' && entry.at === STOP_AT.toISOString())),
          )
          .map((entry) => entry.body),
      });
    }
    const others = results.filter((result) => result.phone !== stopper.phone);
    expect(others.map((result) => [result.phone, result.delivered])).toEqual(
      others.map((result) => [result.phone, STEPS]),
    );
    const stopped = results.find((result) => result.phone === stopper.phone)!;
    expect(stopped.afterStop).toEqual([expect.stringMatching(/unsubscribed/)]);
    expect(stopped.delivered).toBeLessThan(STEPS);
    // the STOP ends the enrollment: its remaining steps are cancelled, not blocked one by one for years
    expect(stopped.cancelled).toBe(STEPS - stopped.delivered);
  }, 600_000);
});
