import type { ReleaseScheduler, SendQueue } from '../../../../lambdas/ports';
import { FIXTURE_NOW, httpFixture, nationalForm, randomPhone, type HttpFixture } from './fixture';
import { queueOneByOne } from '../../../../lambdas/adapters/sqs/queue-one-by-one';

// FIXTURE_NOW is 11:00 in New York (EDT); 23:00 the same day is outside every window.
const NY_23_00 = '2026-03-11T03:00:00.000Z';
const NY_NEXT_08_00 = '2026-03-11T12:00:00.000Z';

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
const enqueued: Parameters<SendQueue['enqueue']>[0][] = [];
const releases: Parameters<ReleaseScheduler['scheduleRelease']>[0][] = [];

beforeAll(async () => {
  fx = await httpFixture();
  fx.deps.queue = queueOneByOne(async (message) => void enqueued.push(message));
  fx.deps.scheduler = { scheduleRelease: async (release) => void releases.push(release) };
  agent = await fx.newAgent();
});

beforeEach(() => fx.clock.set(FIXTURE_NOW));

/** A contact of the agent with signed consent, as the agent would record it through the API. */
const consentedContact = (apiKey = agent.apiKey) => fx.consentedContact(apiKey);

const postMessage = (body: unknown, apiKey = agent.apiKey) => fx.request('messages.create', { apiKey, body });

const getMessage = (id: string, apiKey = agent.apiKey) =>
  fx.request('messages.get', { pathParameters: { id }, apiKey });

describe('POST /v1/messages', () => {
  it('answers 202 send with the receipt and puts the message on the queue', async () => {
    // prepare
    const phone = await consentedContact();

    // act
    const reply = await postMessage({ to: nationalForm(phone), body: 'Showing confirmed for 3pm.' });

    // assess
    expect(reply.status).toBe(202);
    expect(reply.body.verdict).toBe('send');
    expect(reply.body.messageId).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(reply.body.receipt.phone).toBe(phone);
    expect(reply.body.receipt.consent.status).toBe('express_written');
    expect(reply.body.receipt.consent.reliedOn).toEqual(expect.any(String));
    expect(reply.body.releaseAt).toBeUndefined();
    // With what the gate read, for the worker to decide on again.
    expect(enqueued).toContainEqual(
      expect.objectContaining({
        messageId: reply.body.messageId,
        phone,
        decided: expect.objectContaining({
          message: expect.objectContaining({ messageId: reply.body.messageId }),
        }),
      }),
    );
  });

  it('answers 202 hold with the release instant when it is 23:00 for the contact', async () => {
    // prepare
    const phone = await consentedContact();
    fx.clock.set(NY_23_00);

    // act
    const reply = await postMessage({ to: phone, body: 'Offer came in, call me.' });

    // assess
    expect(reply.status).toBe(202);
    expect(reply.body.verdict).toBe('hold');
    expect(reply.body.releaseAt).toBe(NY_NEXT_08_00);
    expect(reply.body.receipt.reasons.length).toBeGreaterThan(0);
    expect(releases).toContainEqual(
      expect.objectContaining({ messageId: reply.body.messageId, phone, releaseAt: NY_NEXT_08_00 }),
    );
    expect(enqueued.map((message) => message.messageId)).not.toContain(reply.body.messageId);
  });

  it('answers 202 block, final, with the reason when there is no consent', async () => {
    // prepare
    const phone = randomPhone();

    // act
    const reply = await postMessage({ to: phone, body: 'Hi!' });
    const stored = await getMessage(reply.body.messageId);

    // assess
    expect(reply.status).toBe(202);
    expect(reply.body.verdict).toBe('block');
    expect(reply.body.receipt.reasons).toContain('no consent on record that permits manual texts');
    expect(stored.body.status).toBe('blocked');
  });

  it('refuses a suspended agent’s text with 403 agent_suspended and the reason, writing nothing', async () => {
    // prepare
    const suspended = await fx.newAgent();
    const phone = await consentedContact(suspended.apiKey);
    await fx.suspend(suspended.agentId, 'complaint under review');
    const queuedBefore = enqueued.length;

    // act
    const reply = await postMessage({ to: phone, body: 'New listing!' }, suspended.apiKey);

    // assess
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ error: 'agent_suspended', reason: 'complaint under review' });
    expect(reply.body.message).toContain('complaint under review');
    expect(await fx.deps.stores.messages.listByContact(suspended.agentId, phone)).toEqual([]);
    expect(enqueued.length).toBe(queuedBefore);
  });

  it.each([
    ['a blank body', { to: '+12125550123', body: '   ' }, 'body.body'],
    ['a 1,601-character body', { to: '+12125550123', body: 'x'.repeat(1601) }, 'body.body'],
    ['a number that is not one', { to: '555', body: 'Hi' }, 'body.to'],
    ['an unknown field', { to: '+12125550123', body: 'Hi', purpose: 'automated' }, 'body.purpose'],
  ])('refuses %s with a 400 naming the field', async (_case, body, field) => {
    // act
    const reply = await postMessage(body);

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain(field);
  });

  it('refuses a text that the sender prefix pushes over 1,600 characters', async () => {
    // prepare
    const phone = await consentedContact();

    // act
    const reply = await postMessage({ to: phone, body: 'x'.repeat(1600) });

    // assess
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^body: .*limit is 1600/);
  });
});

describe('GET /v1/messages/{id}', () => {
  it('returns the agent’s own message with its whole history and receipts', async () => {
    // prepare
    const phone = await consentedContact();
    fx.clock.set(NY_23_00);
    const created = await postMessage({ to: phone, body: 'Offer came in, call me.' });

    // act
    const reply = await getMessage(created.body.messageId);

    // assess
    expect(reply.status).toBe(200);
    expect(reply.body.messageId).toBe(created.body.messageId);
    expect(reply.body.status).toBe('held');
    expect(reply.body.releaseAt).toBe(NY_NEXT_08_00);
    expect(reply.body.history.map((change: { status: string }) => change.status)).toEqual(['queued', 'held']);
    expect(reply.body.history[1].receipt.verdict).toBe('hold');
  });

  it('answers 404 for another agent’s message, as for one that does not exist', async () => {
    // prepare
    const phone = await consentedContact();
    const created = await postMessage({ to: phone, body: 'Keys are ready.' });
    const other = await fx.newAgent();

    // act
    const foreign = await getMessage(created.body.messageId, other.apiKey);
    const missing = await getMessage('msg_00000000000000000000000000000000');

    // assess
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error).toBe('not_found');
  });
});
