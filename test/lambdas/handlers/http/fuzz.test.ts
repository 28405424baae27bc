import fc from 'fast-check';
import type { ApiEventOptions } from '../../../support/http-events';
import { toE164 } from '../../../../lambdas/handlers/http/schemas';
import { bearer } from '../../../support/http-events';
import { httpFixture, nationalForm, randomPhone, type HttpFixture, type Reply } from './fixture';

// Every route, any input: the answer is a 2xx or a 4xx, never a 5xx, and a 4xx wrote nothing.
const NUM_RUNS = 150;

let fx: HttpFixture;
let agent: { agentId: string; apiKey: string };
beforeAll(async () => {
  fx = await httpFixture();
  agent = await fx.newAgent();
});

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 40 }));

/** Arbitrary bodies: any JSON value, any text, and objects shaped like the real ones with wild values. */
function bodies(
  nearValid: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Pick<ApiEventOptions, 'body' | 'rawBody'>> {
  return fc.oneof(
    fc.jsonValue().map((body) => ({ body })),
    anyString.map((rawBody) => ({ rawBody })),
    nearValid.map((body) => ({ body })),
  );
}

const wild = fc.oneof(anyString, fc.jsonValue());
const isoish = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  anyString,
);
const phoneish = fc.oneof(
  anyString,
  fc.stringMatching(/^\+?1?[\d\s().-]{0,16}$/),
  fc.constant(null).map(() => nationalForm(randomPhone())),
);

const contactFields = {
  name: wild,
  state: fc.oneof(fc.constantFrom('TX', 'fl', 'XX', ''), anyString),
  postalCode: fc.oneof(fc.constantFrom('33101', '33101-1234'), anyString),
  timeZone: fc.oneof(fc.constantFrom('America/Chicago', 'US/Eastern', 'Mars/Base', 'UTC'), anyString),
  closingDate: isoish,
  address: wild,
  notes: wild,
};
const nearContact = fc.record(contactFields, { requiredKeys: [] });
const nearConsent = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('express_written', 'ebr_transaction', 'ebr_inquiry', 'revocation', 'global_opt_out'),
      wild,
    ),
    method: fc.oneof(fc.constantFrom('signed_form', 'business_card', 'constructor', '__proto__'), wild),
    at: isoish,
    capturedBy: wild,
    evidence: wild,
    channel: fc.oneof(fc.constantFrom('sms', 'email', 'fax'), wild),
    consentTextVersion: wild,
    correctsId: wild,
  },
  { requiredKeys: [] },
);
const nearAgent = fc.record(
  { name: wild, brokerage: wild, senderNumber: phoneish, forwardTo: phoneish, doubleOptIn: wild },
  { requiredKeys: [] },
);
const nearImport = fc.record({
  rows: fc.oneof(
    fc.array(
      fc.record(
        { phone: phoneish, ...contactFields, consent: fc.oneof(nearConsent, wild) },
        { requiredKeys: [] },
      ),
      {
        maxLength: 5,
      },
    ),
    wild,
  ),
});

function senderNumberOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('senderNumber' in body)) return undefined;
  if (typeof body.senderNumber !== 'string') return undefined;
  const parsed = toE164(body.senderNumber);
  return 'e164' in parsed ? parsed.e164 : undefined;
}

/** A refused request (4xx) must leave no trace in the tables. */
function assertRefusalWroteNothing(reply: Reply, written: boolean): void {
  if (reply.status >= 400 && written) {
    throw new Error(`answered ${reply.status} but wrote data: ${JSON.stringify(reply.body)}`);
  }
}

/** Runs `check` on NUM_RUNS inputs drawn from `inputs`; fast-check shrinks a failure to its smallest input. */
function assertForAll<T>(inputs: fc.Arbitrary<T>, check: (input: T) => Promise<void>): Promise<void> {
  return fc.assert(fc.asyncProperty(inputs, check), { numRuns: NUM_RUNS });
}

function expectNo5xx(reply: Reply): void {
  if (reply.status >= 500) throw new Error(`5xx: ${JSON.stringify(reply.body)}`);
  expect(reply.status).toBeGreaterThanOrEqual(200);
}

describe('agent/admin API under arbitrary input', () => {
  it('PUT /v1/contacts/{phone}: any body is a 2xx or a 4xx that stores nothing', async () => {
    await assertForAll(bodies(nearContact), async (body) => {
      const phone = randomPhone();
      const reply = await fx.request('contacts.put', {
        pathParameters: { phone },
        apiKey: agent.apiKey,
        ...body,
      });
      expectNo5xx(reply);
      assertRefusalWroteNothing(
        reply,
        (await fx.deps.stores.contacts.get(agent.agentId, phone)) !== undefined,
      );
    });
  });

  it('POST /v1/contacts/{phone}/consent: any body is a 2xx or a 4xx that appends nothing', async () => {
    await assertForAll(bodies(nearConsent), async (body) => {
      const phone = randomPhone();
      await fx.deps.stores.contacts.upsert(agent.agentId, phone, {}, fx.clock.now().toISOString());
      const reply = await fx.request('consent.append', {
        pathParameters: { phone },
        apiKey: agent.apiKey,
        ...body,
      });
      expectNo5xx(reply);
      assertRefusalWroteNothing(reply, (await fx.deps.stores.ledger.list(agent.agentId, phone)).length > 0);
    });
  });

  it('POST /v1/agents: any body is a 2xx or a 4xx that creates no agent', async () => {
    await assertForAll(bodies(nearAgent), async (body) => {
      const reply = await fx.request('agents.create', { apiKey: fx.adminKey, ...body });
      expectNo5xx(reply);
      // A 409 is about an agent that exists already; any other 4xx must not have created one.
      const sender = senderNumberOf(body.body);
      const created =
        sender !== undefined && (await fx.deps.stores.agents.findBySenderNumber(sender)) !== undefined;
      assertRefusalWroteNothing(reply.status === 409 ? { ...reply, status: 200 } : reply, created);
    });
  });

  it('POST /v1/imports: any body is a 2xx or a 4xx', async () => {
    await assertForAll(bodies(nearImport), async (body) => {
      const reply = await fx.request('imports.create', { apiKey: agent.apiKey, ...body });
      expectNo5xx(reply);
    });
  });

  it.each([
    ['contacts.get', undefined],
    ['contacts.put', { name: 'Fuzz' }],
    ['consent.append', { type: 'revocation', at: '2026-03-01T10:00:00Z' }],
    ['consent.history', undefined],
  ])('%s: any path phone is a 2xx or a 4xx', async (key, body) => {
    await assertForAll(phoneish, async (phone) => {
      const reply = await fx.request(key, { pathParameters: { phone }, apiKey: agent.apiKey, body });
      expectNo5xx(reply);
    });
  });

  it.each(['agents.suspend', 'agents.resume'])('%s: any agent id is a 2xx or a 4xx', async (key) => {
    await assertForAll(anyString, async (agentId) => {
      const reply = await fx.request(key, { pathParameters: { agentId }, apiKey: fx.adminKey });
      expectNo5xx(reply);
    });
  });

  it('GET /v1/ledger/verify: any query is a 2xx or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          phoneish.map((phone) => ({ phone })),
          fc.dictionary(anyString, anyString, { maxKeys: 3 }),
        ),
        fc.boolean(),
        async (query, asAdmin) => {
          const reply = await fx.request('ledger.verify', {
            query,
            apiKey: asAdmin ? fx.adminKey : agent.apiKey,
          });
          expectNo5xx(reply);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('any Authorization header that is not a key is a 401', async () => {
    await assertForAll(anyString, async (authorization) => {
      const reply = await fx.request('contacts.get', {
        pathParameters: { phone: randomPhone() },
        headers: { authorization },
      });
      expect(reply.status).toBe(401);
    });
  });
});

const CONTROLS = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).filter((c) => c !== '\n' && c !== '\t'),
  '\u007F',
  '\u0085',
  '\u061C',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202E',
  '\u2066',
  '\u2069',
];

describe('the wrapper under arbitrary content types, control characters and sizes', () => {
  it('any content type other than application/json is a 415 that stores nothing', async () => {
    const mediaType = fc
      .oneof(
        fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data', 'application/json5', ''),
        fc.stringMatching(/^[a-z]{1,12}\/[a-z0-9.+-]{1,20}(; ?charset=[a-z0-9-]{1,10})?$/),
      )
      .filter((type) => type.split(';')[0]!.trim().toLowerCase() !== 'application/json');
    await assertForAll(mediaType, async (contentType) => {
      // a phone no other run of this file has stored (random phones can collide)
      let phone = randomPhone();
      while ((await fx.deps.stores.contacts.get(agent.agentId, phone)) !== undefined) phone = randomPhone();
      const reply = await fx.request('contacts.put', {
        pathParameters: { phone },
        headers: { ...bearer(agent.apiKey), 'content-type': contentType },
        rawBody: '{"name":"Fuzz"}',
      });
      expect(reply.status).toBe(415);
      expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
    });
  });

  it('any text with a control character is a 422 naming the field, and stores nothing', async () => {
    const field = fc.constantFrom('name', 'address', 'notes', 'state', 'timeZone');
    await fc.assert(
      fc.asyncProperty(
        field,
        fc.string(),
        fc.constantFrom(...CONTROLS),
        fc.string(),
        async (key, a, c, b) => {
          const phone = randomPhone();
          const reply = await fx.request('contacts.put', {
            pathParameters: { phone },
            apiKey: agent.apiKey,
            body: { [key]: `${a}${c}${b}` },
          });
          expect(reply.status).toBe(422);
          expect(reply.body.message).toMatch(new RegExp(`^body\\.${key}: `));
          expect(await fx.deps.stores.contacts.get(agent.agentId, phone)).toBeUndefined();
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('any body over the limit is a 413, plain or base64', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 256 * 1024 + 1, max: 3 * 1024 * 1024 }),
        fc.boolean(),
        async (size, b64) => {
          const text = `{"notes":"${'y'.repeat(size)}"}`;
          const reply = await fx.request('contacts.put', {
            pathParameters: { phone: randomPhone() },
            apiKey: agent.apiKey,
            rawBody: b64 ? Buffer.from(text).toString('base64') : text,
            isBase64Encoded: b64,
          });
          expect(reply.status).toBe(413);
        },
      ),
      { numRuns: 20 },
    );
  });
});
