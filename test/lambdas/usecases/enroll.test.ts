import { planCadence, planEnrollment } from '../../../lambdas/compliance/cadence';
import type { LoggedText, MessageStore } from '../../../lambdas/ports';
import { defaultCadence } from '../../../lambdas/rules/cadence';
import { fillTemplate, messageTexts, senderFields } from '../../../lambdas/rules/messages';
import { saveCadence } from '../../../lambdas/usecases/cadence';
import { enrollContact, unenrollContact } from '../../../lambdas/usecases/enroll';
import { Refused } from '../../../lambdas/usecases/errors';
import { useCadenceFixture } from './cadence-fixture';

const START = '2026-03-10T15:00:00.000Z';
const DAY_MS = 86_400_000;
/** Steps of the default cadence, from its data. */
const STEPS = defaultCadence.steps.length;

describe('enrollContact', () => {
  const f = useCadenceFixture(START);
  beforeEach(() => {
    f.queue.enqueued.length = 0;
  });

  it('refuses a contact without express written consent and says why', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { name: 'Maria Lopez' }, false);
    await f.appendConsent(contact, {
      type: 'ebr_inquiry',
      at: new Date(Date.parse(START) - DAY_MS).toISOString(),
    });

    // act
    const refusal = await enrollContact(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toBeInstanceOf(Refused);
    expect(refusal).toMatchObject({
      kind: 'refused',
      code: 'consent_required',
      details: { consentStatus: 'ebr_inquiry' },
    });
    expect((refusal as Error).message).toMatch(/express written consent is required/);
    expect(f.queue.enqueued).toEqual([]);
    expect(await f.deps.stores.messages.listByContact(agent.agentId, contact.phone)).toEqual([]);
    expect((await f.deps.stores.contacts.get(agent.agentId, contact.phone))?.enrollment).toBeUndefined();
  });

  it('refuses a contact whose consent was revoked', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    await f.appendConsent(contact, { type: 'revocation', at: START });

    // act
    const refusal = await enrollContact(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toMatchObject({
      kind: 'refused',
      code: 'consent_required',
      details: { consentStatus: 'revoked' },
    });
  });

  it('answers 404 for a contact the agent does not have', async () => {
    // prepare
    const agent = await f.newAgent();
    const other = await f.newAgent();
    const contact = await f.newContact(other);

    // act
    const refusal = await enrollContact(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toMatchObject({ kind: 'not_found', code: 'not_found' });
  });

  it('queues one opt-in confirmation and schedules every step with its due shard', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { name: 'Maria Lopez', state: 'NY', address: '12 Elm St' });
    const expected = planCadence({
      cadence: defaultCadence,
      enrolledAt: new Date(START),
      contact,
      agent,
      zone: 'America/New_York',
    });

    // act
    const started = await enrollContact(f.deps, agent, contact.phone);

    // assess
    const stored = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    const optIns = stored.filter((message) => message.kind === 'opt_in_request');
    const steps = stored.filter((message) => message.kind === 'drip').sort((a, b) => a.step! - b.step!);
    expect(optIns).toHaveLength(1);
    expect(optIns[0]).toMatchObject({
      status: 'queued',
      purpose: 'automated',
      body: fillTemplate(messageTexts.optInConfirmation, senderFields(agent)),
    });
    expect(f.queue.enqueued).toEqual([{ messageId: optIns[0]!.messageId, phone: contact.phone }]);
    expect(steps).toHaveLength(STEPS);
    steps.forEach((step, i) => {
      expect(step).toMatchObject({
        status: 'scheduled',
        purpose: 'automated',
        step: i + 1,
        anchor: 'enrollment',
        dueAt: expected[i]!.dueAt.toISOString(),
        body: expected[i]!.body,
      });
    });
    // The sweep finds each step on its due day, from its due instant on.
    for (const step of [steps[0]!, steps.at(-1)!]) {
      const dueOnDay = await f.deps.stores.messages.listDue(step.dueAt!.slice(0, 10), step.dueAt!);
      expect(dueOnDay.map((due) => due.messageId)).toContain(step.messageId);
    }
    expect(started.steps.map((step) => step.messageId).sort()).toEqual(
      steps.map((step) => step.messageId).sort(),
    );
    const after = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
    expect(after?.enrollment).toEqual({
      cadenceVersion: defaultCadence.version,
      enrolledAt: START,
      status: 'active',
    });
    expect(after?.doubleOptIn).toBeUndefined();
  });

  it('sends the double opt-in request first and marks the contact sent when the agent asks for it', async () => {
    // prepare
    const agent = await f.newAgent({ doubleOptIn: true });
    const contact = await f.newContact(agent);

    // act
    const started = await enrollContact(f.deps, agent, contact.phone);

    // assess
    expect(started.optInRequest.body).toBe(
      fillTemplate(messageTexts.doubleOptInRequest, senderFields(agent)),
    );
    expect(f.queue.enqueued).toEqual([{ messageId: started.optInRequest.messageId, phone: contact.phone }]);
    const after = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
    expect(after?.doubleOptIn).toEqual({ status: 'sent', updatedAt: START });
  });

  it('refuses a second enrollment while one is active, even when both race', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);

    // act
    const results = await Promise.allSettled([
      enrollContact(f.deps, agent, contact.phone),
      enrollContact(f.deps, agent, contact.phone),
    ]);
    const again = await enrollContact(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ kind: 'conflict', code: 'already_enrolled' });
    expect(again).toMatchObject({ kind: 'conflict', code: 'already_enrolled' });
    const stored = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    expect(stored).toHaveLength(STEPS + 1);
  });

  it('uses the account cadence saved before the enrollment', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { name: 'Maria Lopez' });
    const saved = await saveCadence(f.deps, agent, {
      name: 'Two texts',
      fallbacks: {},
      steps: [
        { step: 1, offset: { days: 3 }, template: 'Hi {firstName}, welcome home!' },
        { step: 2, offset: { years: 1 }, template: 'One year already, {firstName}!' },
      ],
    });

    // act
    const started = await enrollContact(f.deps, agent, contact.phone);

    // assess
    expect(started.enrollment.cadenceVersion).toBe(saved.cadence.version);
    expect(started.steps.map((step) => [step.step, step.body, step.dueAt])).toEqual([
      // Noon in New York: daylight time in March 2026, standard time on 10 March 2027.
      [1, 'Hi Maria, welcome home!', '2026-03-13T16:00:00.000Z'],
      [2, 'One year already, Maria!', '2027-03-10T17:00:00.000Z'],
    ]);
  });

  it('cancels what it wrote and stops the enrollment when the queue refuses the opt-in', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    f.queue.failNext(1);

    // act
    const failure = await enrollContact(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(failure).toBeInstanceOf(Error);
    const stored = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    expect(stored).toHaveLength(STEPS + 1);
    expect(new Set(stored.map((message) => message.status))).toEqual(new Set(['cancelled']));
    expect(await dueOnTheirDays(f.deps.stores.messages, stored)).toEqual([]);
    const after = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
    expect(after?.enrollment?.status).toBe('stopped');
  });
  it('skips the steps a closing three years back has passed, and schedules the rest from the closing', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, {
      name: 'Maria Lopez',
      timeZone: 'America/Chicago',
      closingDate: '2023-03-01',
    });
    const expected = planEnrollment({
      cadence: defaultCadence,
      enrolledAt: new Date(START),
      contact,
      agent,
      closing: { date: '2023-03-01' },
      zone: 'America/Chicago',
    });

    // act
    const started = await enrollContact(f.deps, agent, contact.phone);

    // assess
    expect(expected.skipped.length).toBeGreaterThan(0);
    expect(started.skipped).toEqual(expected.skipped);
    expect(started.skipped.map((step) => step.step)).toEqual(expect.arrayContaining([1, 2, 3]));
    const stored = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    const drips = stored.filter((message) => message.kind === 'drip');
    expect(drips).toHaveLength(STEPS - expected.skipped.length);
    expect(drips.some((message) => expected.skipped.some((skip) => skip.step === message.step))).toBe(false);
    expect(drips.every((message) => Date.parse(message.dueAt!) > Date.parse(START))).toBe(true);
    expect(drips.find((message) => message.step === 14)).toMatchObject({
      anchor: 'closing',
      dueAt: '2027-03-01T18:00:00.000Z',
    });
    const after = await f.deps.stores.contacts.get(agent.agentId, contact.phone);
    expect(after?.enrollment).toMatchObject({
      closing: { date: '2023-03-01', source: 'closingDate' },
      skipped: expected.skipped,
    });
  });

  it('anchors on the latest ebr_transaction when the contact has no closing date', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { timeZone: 'America/New_York' });
    await f.appendConsent(contact, { type: 'ebr_transaction', at: '2024-01-20T16:00:00.000Z' });
    await f.appendConsent(contact, { type: 'ebr_transaction', at: '2025-09-01T16:00:00.000Z' });

    // act
    const started = await enrollContact(f.deps, agent, contact.phone);

    // assess
    expect(started.enrollment.closing).toMatchObject({ date: '2025-09-01', source: 'ebr_transaction' });
    expect(started.enrollment.closing?.eventId).toEqual(expect.any(String));
    const firstAnniversary = started.steps.find((step) => step.step === 9);
    expect(firstAnniversary).toMatchObject({ anchor: 'closing', dueAt: '2026-09-01T16:00:00.000Z' });
  });

  it('counts every step from the enrollment without a closing date or ebr_transaction', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);

    // act
    const started = await enrollContact(f.deps, agent, contact.phone);

    // assess
    expect(started.skipped).toEqual([]);
    expect(started.enrollment.closing).toBeUndefined();
    expect(started.steps).toHaveLength(STEPS);
    expect(new Set(started.steps.map((step) => step.anchor))).toEqual(new Set(['enrollment']));
  });

  it('refuses with nothing_to_send when every step counts from a closing whose moments have passed', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { closingDate: '2020-01-15', timeZone: 'America/Denver' });
    await saveCadence(f.deps, agent, {
      name: 'Welcome only',
      fallbacks: {},
      steps: [{ step: 1, anchor: 'closing', offset: { days: 7 }, template: 'Welcome home!' }],
    });

    // act
    const refusal = await enrollContact(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toMatchObject({ kind: 'refused', code: 'nothing_to_send' });
    expect((refusal as Error).message).toContain('closing on 2020-01-15');
    expect(f.queue.enqueued).toEqual([]);
    expect(await f.deps.stores.messages.listByContact(agent.agentId, contact.phone)).toEqual([]);
    expect((await f.deps.stores.contacts.get(agent.agentId, contact.phone))?.enrollment).toBeUndefined();
  });
});

describe('unenrollContact', () => {
  const f = useCadenceFixture(START);

  it('cancels every step not yet sent and takes it out of the due index', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    const started = await enrollContact(f.deps, agent, contact.phone);
    const firstStep = started.steps[0]!;
    for (const [from, to] of [
      ['scheduled', 'queued'],
      ['queued', 'sending'],
      ['sending', 'sent'],
    ] as const) {
      await f.deps.stores.messages.transition(firstStep.messageId, [from], { status: to, at: START });
    }
    f.clock.set('2026-04-01T12:00:00.000Z');

    // act
    const stopped = await unenrollContact(f.deps, agent, contact.phone);

    // assess
    expect(stopped.cancelled).toBe(STEPS); // every step but the sent one + the queued opt-in confirmation
    expect(stopped.enrollment).toMatchObject({ status: 'stopped', stoppedAt: '2026-04-01T12:00:00.000Z' });
    const stored = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    const byStatus = (status: string) => stored.filter((message) => message.status === status).length;
    expect(byStatus('cancelled')).toBe(STEPS);
    expect(byStatus('sent')).toBe(1);
    expect(await dueOnTheirDays(f.deps.stores.messages, started.steps)).toEqual([]);
  });

  it('answers 409 when the contact has no active enrollment, and allows a fresh one after stopping', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);

    // act
    const notEnrolled = await unenrollContact(f.deps, agent, contact.phone).catch((error: unknown) => error);
    await enrollContact(f.deps, agent, contact.phone);
    await unenrollContact(f.deps, agent, contact.phone);
    const again = await enrollContact(f.deps, agent, contact.phone);

    // assess
    expect(notEnrolled).toMatchObject({ kind: 'conflict', code: 'not_enrolled' });
    expect(again.enrollment.status).toBe('active');
    const stored = await f.deps.stores.messages.listByContact(agent.agentId, contact.phone);
    expect(stored.filter((message) => message.status === 'scheduled')).toHaveLength(STEPS);
  });
});

/** The steps among `messages` the sweep would still find due on their due days. */
async function dueOnTheirDays(store: MessageStore, messages: readonly LoggedText[]): Promise<string[]> {
  const days = new Set(
    messages.flatMap((message) => (message.dueAt === undefined ? [] : [message.dueAt.slice(0, 10)])),
  );
  const ids = new Set(messages.map((message) => message.messageId));
  const due = await Promise.all([...days].map((day) => store.listDue(day, '2099-01-01T00:00:00.000Z')));
  return due
    .flat()
    .map((step) => step.messageId)
    .filter((id) => ids.has(id));
}
