import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConsentLineApiError,
  ConsentLineConnectionError,
  createConsentLineClient,
  type ConsentLineClient,
} from '../../../lambdas/client';
import type { LocalRuntime } from '../../../lambdas/local/runtime';
import { startTestRuntime } from '../../e2e/runtime-fixture';
import { consentedContact as consentedWith } from '../../support/client-contacts';

// Tuesday 11:00 in New York: inside every quiet-hours window, so manual texts go at once.
const CLOCK_START = new Date('2026-03-10T15:00:00.000Z');

let runtime: LocalRuntime;
let agent: ConsentLineClient;
let admin: ConsentLineClient;
let nextNumber = 5_550_100;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: CLOCK_START });
  agent = createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: runtime.demo!.apiKey });
  admin = createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: runtime.adminKey });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

/** A fresh New York number for each test. */
const newPhone = () => `+1212${nextNumber++}`;

const consentedContact = () =>
  consentedWith(agent, newPhone(), { name: 'Ana Lopez', state: 'NY' }, { evidence: 'listing agreement §9' });

describe('createConsentLineClient', () => {
  it('creates a contact, then updates it, and reads it back with its consent', async () => {
    // prepare
    const phone = newPhone();

    // act
    const first = await agent.contacts.put(phone, { name: 'Ana', state: 'fl' });
    const second = await agent.contacts.put(phone, { name: 'Ana Lopez' });
    const read = await agent.contacts.get(phone);

    // assess
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(read.contact).toMatchObject({ phone, name: 'Ana Lopez', state: 'FL' });
    expect(read.consent).toMatchObject({ badge: 'no_consent', permits: { automated: false, manual: false } });
  });

  it('throws ConsentLineApiError with the reason when a method is not consent', async () => {
    // prepare
    const phone = newPhone();
    await agent.contacts.put(phone, {});

    // act
    const error = await agent.consent
      .append(phone, {
        type: 'express_written',
        method: 'business_card',
        at: '2026-03-01T10:00:00Z',
        capturedBy: 'Dana',
        evidence: 'card left at the office',
      })
      .catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(ConsentLineApiError);
    expect(error).toMatchObject({ status: 422, code: 'not_consent' });
    expect((error as Error).message).toContain('a business card implies a call, not texts');
  });

  it('carries the field issues of a 400', async () => {
    // act
    const error = await agent.contacts.put(newPhone(), { state: 'ZZ' }).catch((caught: unknown) => caught);

    // assess
    expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
    expect((error as ConsentLineApiError).issues).toEqual([
      { path: 'body.state', message: 'not a USPS state or territory code' },
    ]);
  });

  it('sends a text and reads it back with the receipt it was accepted with', async () => {
    // prepare
    const phone = await consentedContact();

    // act
    const accepted = await agent.messages.create({ to: phone, body: 'Hi Ana, the inspection is at 3.' });
    const stored = await agent.messages.get(accepted.messageId);

    // assess
    expect(accepted.verdict).toBe('send');
    expect(accepted.receipt).toMatchObject({
      verdict: 'send',
      phone,
      consent: { status: 'express_written' },
    });
    expect(stored.history[0]?.receipt).toEqual(accepted.receipt);
  });

  it('follows audit cursors page by page until the last', async () => {
    // prepare
    const phone = await consentedContact();
    const sent = [];
    for (const body of ['one', 'two', 'three'])
      sent.push((await agent.messages.create({ to: phone, body })).messageId);

    // act
    const pages = [];
    for await (const page of agent.audit.messagePages({ phone, limit: 1 })) pages.push(page);

    // assess
    // The clock is frozen, so the three share createdAt: their order among themselves is by id.
    expect(pages.flatMap((page) => page.items.map((item) => item.messageId))).toEqual(sent.sort());
    expect(pages.map((page) => page.items.length)).toEqual([1, 1, 1]);
    expect(pages.at(-1)?.cursor).toBeUndefined();
  });

  it('manages agents with the admin key', async () => {
    // act
    const created = await admin.agents.create({
      name: 'Sam Ortiz',
      brokerage: 'Keys Realty',
      senderNumber: '+13055550177',
      forwardTo: '+13055550178',
    });
    const suspended = await admin.agents.suspend(created.agentId, 'complaint under review');
    const resumed = await admin.agents.resume(created.agentId);

    // assess
    expect(created.apiKey).toEqual(expect.any(String));
    expect(suspended).toMatchObject({ suspended: true, suspendedReason: 'complaint under review' });
    expect(resumed.suspended).toBe(false);
    expect(resumed.suspendedReason).toBeUndefined();
  });

  it('sends the key as a bearer token through the injected fetch', async () => {
    // prepare
    const seen: Array<{ url: string; authorization: string | null }> = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      return fetch(input, init);
    };
    const client = createConsentLineClient({
      baseUrl: `${runtime.baseUrl}/`,
      apiKey: 'cl_live_wrong',
      fetch: recording,
    });

    // act
    const error = await client.ledger.verify('+12125550100').catch((caught: unknown) => caught);

    // assess
    expect(seen).toEqual([
      {
        url: `${runtime.baseUrl}/v1/ledger/verify?phone=%2B12125550100`,
        authorization: 'Bearer cl_live_wrong',
      },
    ]);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('throws ConsentLineConnectionError when nothing answers', async () => {
    // prepare
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = createConsentLineClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k' });

    // act
    const error = await client.contacts.get('+12125550100').catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(ConsentLineConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});
