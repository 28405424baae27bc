import { defaultCadence } from '../../../lambdas/rules/cadence';
import { messageTexts } from '../../../lambdas/rules/messages';
import { enrollContact } from '../../../lambdas/usecases/enroll';
import { editScheduledMessage, listContactMessages } from '../../../lambdas/usecases/list-contact-messages';
import { useCadenceFixture } from './cadence-fixture';

// 10:00 in New York on a Tuesday: every default step falls due at 10:00/11:00 local time, on
// dates that are never New Year's Day, Thanksgiving or Christmas.
const START = '2026-03-10T15:00:00.000Z';

describe('listContactMessages', () => {
  const f = useCadenceFixture(START);

  it('shows every upcoming step with their text as it will leave and a predicted send', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent, { name: 'Maria Lopez', state: 'NY' });
    await enrollContact(f.deps, agent, contact.phone);

    // act
    const listed = await listContactMessages(f.deps, agent, contact.phone);

    // assess
    const upcoming = listed.messages.filter((message) => message.status === 'scheduled');
    expect(upcoming).toHaveLength(defaultCadence.steps.length);
    expect(listed.enrollment?.status).toBe('active');
    for (const step of upcoming) {
      expect(step.predicted).toMatchObject({
        prediction: true,
        predictedAt: START,
        at: step.dueAt,
        verdict: 'send',
      });
      expect(step.predicted!.body).toContain(step.body);
      expect(step.predicted!.body.endsWith(messageTexts.optOutFooter)).toBe(true);
      expect(step.predicted!.content.encoding).toBe('GSM-7');
    }
    const optIn = listed.messages.find((message) => message.kind === 'opt_in_request');
    expect(optIn?.status).toBe('queued');
    expect(optIn?.predicted).toBeUndefined();
  });

  it('predicts blocks once the contact has revoked consent', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    await enrollContact(f.deps, agent, contact.phone);
    f.clock.set('2026-03-11T15:00:00.000Z');
    await f.appendConsent(contact, { type: 'revocation', at: '2026-03-11T14:00:00.000Z' });

    // act
    const listed = await listContactMessages(f.deps, agent, contact.phone);

    // assess
    const upcoming = listed.messages.filter((message) => message.status === 'scheduled');
    expect(upcoming).toHaveLength(defaultCadence.steps.length);
    for (const step of upcoming) {
      expect(step.predicted?.verdict).toBe('block');
      expect(step.predicted?.reasons).toEqual(['the contact revoked consent for this agent']);
    }
  });

  it('predicts blocks while a double opt-in is unanswered', async () => {
    // prepare
    const agent = await f.newAgent({ doubleOptIn: true });
    const contact = await f.newContact(agent);
    await enrollContact(f.deps, agent, contact.phone);

    // act
    const listed = await listContactMessages(f.deps, agent, contact.phone);

    // assess
    const verdicts = listed.messages.flatMap((message) =>
      message.predicted ? [message.predicted.verdict] : [],
    );
    expect(verdicts).toEqual(defaultCadence.steps.map(() => 'block'));
    expect(listed.messages.find((message) => message.predicted)?.predicted?.reasons[0]).toMatch(
      /double opt-in/,
    );
  });

  it('predicts a hold for a step whose day is closed in the recipient’s zone', async () => {
    // prepare: enrolled a week before Christmas in Los Angeles, so step 1 falls due on Christmas Day
    const agent = await f.newAgent();
    f.clock.set('2026-12-18T18:00:00.000Z');
    const contact = await f.newContact(agent, {
      name: 'Sam Lee',
      state: 'CA',
      timeZone: 'America/Los_Angeles',
    });
    await enrollContact(f.deps, agent, contact.phone);

    // act
    const listed = await listContactMessages(f.deps, agent, contact.phone);

    // assess
    const first = listed.messages.find((message) => message.step === 1);
    expect(first?.dueAt).toBe('2026-12-25T20:00:00.000Z');
    expect(first?.predicted).toMatchObject({ verdict: 'hold', releaseAt: '2026-12-26T16:00:00.000Z' });
  });

  it('answers 404 for another agent’s contact', async () => {
    // prepare
    const agent = await f.newAgent();
    const other = await f.newAgent();
    const contact = await f.newContact(other);

    // act
    const refusal = await listContactMessages(f.deps, agent, contact.phone).catch((error: unknown) => error);

    // assess
    expect(refusal).toMatchObject({ kind: 'not_found' });
  });
});

describe('editScheduledMessage', () => {
  const f = useCadenceFixture(START);

  it('replaces the body of an upcoming step and records the previous text', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    const { steps } = await enrollContact(f.deps, agent, contact.phone);
    const step = steps[4]!;
    f.clock.set('2026-03-12T10:00:00.000Z');

    // act
    const edited = await editScheduledMessage(
      f.deps,
      agent,
      step.messageId,
      '  Hi Maria, spring tip: clean the dryer vent.  ',
    );

    // assess
    expect(edited.message).toMatchObject({
      status: 'scheduled',
      body: 'Hi Maria, spring tip: clean the dryer vent.',
      dueAt: step.dueAt,
    });
    const last = edited.message.history.at(-1)!;
    expect(last).toMatchObject({ status: 'scheduled', at: '2026-03-12T10:00:00.000Z' });
    expect(last.reasons?.[0]).toContain(JSON.stringify(step.body));
    const listed = await listContactMessages(f.deps, agent, contact.phone);
    const shown = listed.messages.find((message) => message.messageId === step.messageId);
    expect(shown?.predicted?.body).toContain('clean the dryer vent');
  });

  it('refuses a public URL shortener with the finding, and an empty or oversized body', async () => {
    // prepare
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    const { steps } = await enrollContact(f.deps, agent, contact.phone);
    const id = steps[0]!.messageId;

    // act
    const shortener = await editScheduledMessage(f.deps, agent, id, 'Listings: bit.ly/abc').catch(
      (e: unknown) => e,
    );
    const empty = await editScheduledMessage(f.deps, agent, id, '   ').catch((e: unknown) => e);
    const long = await editScheduledMessage(f.deps, agent, id, 'x'.repeat(1601)).catch((e: unknown) => e);

    // assess
    expect(shortener).toMatchObject({
      kind: 'refused',
      code: 'url_shortener',
      details: { content: { shortenerUrls: ['bit.ly/abc'] } },
    });
    expect(empty).toMatchObject({ kind: 'refused', code: 'invalid_body' });
    expect(long).toMatchObject({ kind: 'refused', code: 'invalid_body' });
    expect((await f.deps.stores.messages.get(id))?.body).toBe(steps[0]!.body);
  });

  it('refuses a step that is no longer scheduled, and another agent’s step', async () => {
    // prepare
    const agent = await f.newAgent();
    const other = await f.newAgent();
    const contact = await f.newContact(agent);
    const { steps, optInRequest } = await enrollContact(f.deps, agent, contact.phone);

    // act
    const queued = await editScheduledMessage(f.deps, agent, optInRequest.messageId, 'Hi').catch(
      (e: unknown) => e,
    );
    const foreign = await editScheduledMessage(f.deps, other, steps[0]!.messageId, 'Hi').catch(
      (e: unknown) => e,
    );

    // assess
    expect(queued).toMatchObject({ kind: 'conflict', code: 'not_editable', details: { status: 'queued' } });
    expect(foreign).toMatchObject({ kind: 'not_found' });
  });
});
