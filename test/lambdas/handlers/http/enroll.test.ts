import { httpRoutes } from '../../../../lambdas/handlers/routes';
import { defaultCadence } from '../../../../lambdas/rules/cadence';
import { bearer } from '../../../support/http-events';
import { recordingQueue, type RecordingQueue } from '../../usecases/cadence-fixture';
import { FIXTURE_NOW, httpFixture, randomPhone, type HttpFixture } from './fixture';

let fx: HttpFixture;
let queue: RecordingQueue;
let agent: { agentId: string; apiKey: string };

beforeAll(async () => {
  fx = await httpFixture();
  queue = recordingQueue();
  // Handlers are built on first call from this same object, so they see the recording queue.
  fx.deps.queue = queue;
  agent = await fx.newAgent();
});

const consentedContact = (apiKey = agent.apiKey, fields: Record<string, string> = {}) =>
  fx.consentedContact(apiKey, { contact: { name: 'Sam Ortiz', state: 'NY', ...fields } });

const enroll = (method: 'POST' | 'DELETE', phone: string, apiKey = agent.apiKey) =>
  fx.call(method === 'POST' ? 'enroll.create' : 'enroll.delete', {
    method,
    path: '/v1/contacts/{phone}/enroll',
    pathParameters: { phone },
    headers: bearer(apiKey),
  });

const list = (phone: string) =>
  fx.request('contacts.messages', { pathParameters: { phone }, apiKey: agent.apiKey });

const edit = (id: string, body: unknown) =>
  fx.request('messages.edit', { pathParameters: { id }, apiKey: agent.apiKey, body });

describe('PUT /v1/messages/{id}: an edit shows what will be sent', () => {
  async function scheduledStep(): Promise<{ phone: string; id: string }> {
    const phone = await consentedContact();
    const enrolled = await enroll('POST', phone);
    return { phone, id: enrolled.body.steps[1].messageId as string };
  }

  it('answers the final text (prefix and footer) with its true segment count', async () => {
    // prepare
    const { id } = await scheduledStep();
    // 150 GSM-7 characters: one segment as typed, two once the name and the footer are added.
    const typed = `Quick market note: ${'prices held steady this month in your area and '.repeat(3)}`.slice(
      0,
      150,
    );

    // act
    const reply = await edit(id, { body: typed });

    // assess
    expect(reply.status).toBe(200);
    const final = reply.body.final;
    expect(final.body.startsWith('Dana Reyes')).toBe(true);
    expect(final.body).toContain(typed.trim());
    expect(final.body).toMatch(/STOP/);
    expect(final.segments).toBe(2);
    expect(final.characters).toBe(final.body.length);
    expect(reply.body.content.segments).toBe(2);
  });

  it('fills {firstName} from the contact, in the answer and in the preview', async () => {
    // prepare
    const { phone, id } = await scheduledStep();

    // act
    const reply = await edit(id, { body: 'Hi {firstName}, the farmers market opens Saturday.' });
    const listed = await list(phone);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.message.body).toBe('Hi Sam, the farmers market opens Saturday.');
    const step = listed.body.messages.find((message: { messageId: string }) => message.messageId === id);
    expect(step.predicted.body).toContain('Hi Sam, the farmers market opens Saturday.');
    expect(step.predicted.body).not.toContain('{');
  });

  it('refuses an unknown placeholder with 422 naming it, and keeps the old text', async () => {
    // prepare
    const { id } = await scheduledStep();
    const before = await fx.deps.stores.messages.get(id);

    // act
    const reply = await edit(id, { body: 'Hi {fristName}, open house Saturday.' });

    // assess
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('unknown_placeholder');
    expect(reply.body.message).toContain('{fristName}');
    expect(reply.body.message).toContain('{firstName}');
    expect((await fx.deps.stores.messages.get(id))?.body).toBe(before?.body);
  });
});

describe('enrollment routes', () => {
  it('are in the route table', () => {
    // assess
    expect(httpRoutes.map(({ method, path, key }) => ({ method, path, key }))).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/v1/contacts/{phone}/enroll', key: 'enroll.create' },
        { method: 'DELETE', path: '/v1/contacts/{phone}/enroll', key: 'enroll.delete' },
        { method: 'GET', path: '/v1/contacts/{phone}/messages', key: 'contacts.messages' },
        { method: 'PUT', path: '/v1/messages/{id}', key: 'messages.edit' },
        { method: 'GET', path: '/v1/cadence', key: 'cadence.get' },
        { method: 'PUT', path: '/v1/cadence', key: 'cadence.put' },
      ]),
    );
  });

  it('enrolls, previews, edits and stops a cadence over HTTP', async () => {
    // prepare
    const phone = await consentedContact();

    // act
    const enrolled = await enroll('POST', phone);
    const twice = await enroll('POST', phone);
    const listed = await list(phone);
    const stepId = listed.body.messages.find((message: { step?: number }) => message.step === 2)
      .messageId as string;
    const edited = await edit(stepId, { body: 'Hi Sam, the farmers market opens Saturday.' });
    const stopped = await enroll('DELETE', phone);

    // assess
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.enrollment).toEqual({
      cadenceVersion: defaultCadence.version,
      enrolledAt: FIXTURE_NOW,
      status: 'active',
    });
    expect(enrolled.body.steps).toHaveLength(defaultCadence.steps.length);
    expect(enrolled.body.skipped).toEqual([]);
    expect(queue.enqueued).toContainEqual({ messageId: enrolled.body.optInRequest.messageId, phone });
    expect(twice).toMatchObject({ status: 409, body: { error: 'already_enrolled' } });
    expect(listed.status).toBe(200);
    const predicted = listed.body.messages.filter((message: { predicted?: unknown }) => message.predicted);
    expect(predicted).toHaveLength(defaultCadence.steps.length);
    expect(listed.body.skipped).toEqual([]);
    expect(edited).toMatchObject({
      status: 200,
      body: { message: { body: 'Hi Sam, the farmers market opens Saturday.' } },
    });
    expect(stopped).toMatchObject({
      status: 200,
      body: { cancelled: defaultCadence.steps.length + 1, enrollment: { status: 'stopped' } },
    });
  });

  it('answers 422 with the reason for a contact without consent, and for a shortener in an edit', async () => {
    // prepare
    const bare = randomPhone();
    await fx.request('contacts.put', {
      pathParameters: { phone: bare },
      apiKey: agent.apiKey,
      body: { name: 'No Consent' },
    });
    const phone = await consentedContact();
    const enrolled = await enroll('POST', phone);

    // act
    const refused = await enroll('POST', bare);
    const shortened = await edit(enrolled.body.steps[0].messageId, { body: 'see tinyurl.com/x' });

    // assess
    expect(refused).toMatchObject({
      status: 422,
      body: { error: 'consent_required', consentStatus: 'none' },
    });
    // The reason says the rule in words, not a section of a file the agent does not have.
    expect(refused.body.message).toContain('prior express written consent');
    expect(refused.body.message).not.toMatch(/RULES|§/);
    expect(shortened).toMatchObject({
      status: 422,
      body: { error: 'url_shortener', content: { shortenerUrls: ['tinyurl.com/x'] } },
    });
  });

  it('reads the default cadence, refuses an invalid one naming the field, and saves a valid one', async () => {
    // prepare
    const other = await fx.newAgent();
    const headers = bearer(other.apiKey);
    const steps = [
      { step: 1, offset: { days: 10 }, template: 'Hi {firstName}, welcome home!' },
      { step: 2, offset: { days: 5 }, template: 'Hi {nickname}' },
    ];

    // act
    const before = await fx.request('cadence.get', { headers });
    const invalid = await fx.request('cadence.put', { headers, body: { name: 'Mine', steps } });
    const saved = await fx.request('cadence.put', {
      headers,
      body: { name: 'Mine', steps: steps.slice(0, 1) },
    });
    const after = await fx.request('cadence.get', { headers });

    // assess
    expect(before).toMatchObject({
      status: 200,
      body: { custom: false, cadence: { version: defaultCadence.version } },
    });
    expect(invalid.status).toBe(400);
    const paths = (invalid.body.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.steps.1.template', 'body.steps.1.offset']));
    expect(saved.status).toBe(200);
    expect(saved.body.cadence.version).toBe(`cadence/${other.agentId}/${FIXTURE_NOW}`);
    expect(after.body).toEqual({ custom: true, cadence: saved.body.cadence });
  });

  it('skips the steps a closing three years back has passed, and the preview says why', async () => {
    // prepare: enrolled 2026-03-10, closed 2023-02-20 in New York
    const phone = await consentedContact(agent.apiKey, {
      closingDate: '2023-02-20',
      timeZone: 'America/New_York',
    });

    // act
    const enrolled = await enroll('POST', phone);
    const listed = await list(phone);

    // assess
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.enrollment.closing).toEqual({ date: '2023-02-20', source: 'closingDate' });
    const skippedSteps = (enrolled.body.skipped as { step: number; reason: string }[]).map(
      (step) => step.step,
    );
    expect(skippedSteps).toEqual(expect.arrayContaining([1, 2, 3, 9, 11, 13]));
    expect(enrolled.body.steps).toHaveLength(defaultCadence.steps.length - skippedSteps.length);
    expect(listed.body.skipped).toEqual(enrolled.body.skipped);
    for (const step of listed.body.skipped as { reason: string }[]) {
      expect(step.reason).toMatch(
        /moment had passed: .* the closing on 2023-02-20, before the enrollment at/,
      );
    }
    const fourth = (enrolled.body.steps as { step: number; dueAt: string }[]).find(
      (step) => step.step === 14,
    );
    expect(fourth?.dueAt).toBe('2027-02-20T17:00:00.000Z');
  });

  it('refuses a cadence step with a URL shortener, naming the step', async () => {
    // prepare
    const other = await fx.newAgent();

    // act
    const refused = await fx.request('cadence.put', {
      apiKey: other.apiKey,
      body: {
        name: 'Mine',
        steps: [{ step: 1, anchor: 'closing', offset: { days: 7 }, template: 'See bit.ly/x' }],
      },
    });

    // assess
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      expect.objectContaining({
        path: 'body.steps.0.template',
        message: expect.stringMatching(/URL shorteners/),
      }),
    ]);
  });
});
