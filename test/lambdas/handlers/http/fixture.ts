import { enforceFunctionAccess, runAs } from '../../../../lambdas/local/access-standin';
import { randomInt } from 'node:crypto';
import type { TableNames } from '../../../../lambdas/adapters/dynamo';
import type { HttpHandler } from '../../../../lambdas/handlers/http/middleware';
import { httpHandlers, httpRoutes } from '../../../../lambdas/handlers/routes';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { adminKeyCheck, newAdminKey } from '../../../../lambdas/usecases/admin-key';
import type { Deps } from '../../../../lambdas/usecases/deps';
import { apiEvent, bearer, lambdaContext, type ApiEventOptions } from '../../../support/http-events';
import { freshTables } from '../../../support/dynamo';
import { HandClock } from '../../../support/hand-clock';
import { standInNumberLookup, type LookupStandIn } from '../../../../lambdas/local/lookup-standin';
import { testDeps } from '../../../support/deps';
import { recordingQueue } from '../../usecases/cadence-fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert response bodies field by field
export type Reply = { status: number; body: any; headers: Record<string, string | number | boolean> };

/** A request to a route of the table: its method and path come from the route, `apiKey` is sent as bearer. */
export type RouteRequest = Omit<ApiEventOptions, 'method' | 'path'> & { apiKey?: string };

/** What {@link HttpFixture.consentedContact} stores: the contact's fields and its consent events. */
export type ConsentedContact = {
  phone?: string;
  contact?: Record<string, unknown>;
  /** Each is laid over {@link SIGNED_CONSENT} and appended in order. */
  consent?: Record<string, unknown>[];
};

/** Express written consent on a signed form, as an agent records it through the API. */
export const SIGNED_CONSENT = {
  type: 'express_written',
  method: 'signed_form',
  at: '2026-03-01T17:00:00-05:00',
  capturedBy: 'Dana Reyes',
  evidence: 'Buyer agreement §12, signed',
};

export type HttpFixture = {
  deps: Deps;
  clock: HandClock;
  adminKey: string;
  tables: TableNames;
  db: DynamoDBDocumentClient;
  /** Twilio Lookup's stand-in behind `deps.lookup`: declare line types and reassignments. */
  lookup: LookupStandIn;
  /** Invokes the handler registered under `key` with the event built from `event`. */
  call(key: string, event: ApiEventOptions): Promise<Reply>;
  /** Invokes the route whose handler is `key`, with the route's method and path. */
  request(key: string, request?: RouteRequest): Promise<Reply>;
  /**
   * Stores a contact of the agent holding `apiKey` and appends its consent through the API
   * (default: Sam Ortiz in NY, {@link SIGNED_CONSENT}); returns the phone. Throws unless every call succeeds.
   */
  consentedContact(apiKey: string, what?: ConsentedContact): Promise<string>;
  /** Creates an agent through the API and returns its id and key. */
  newAgent(
    overrides?: Record<string, unknown>,
  ): Promise<{ agentId: string; apiKey: string; senderNumber: string }>;
  /** Suspends the agent through the admin API with `reason`. Throws unless the call succeeds. */
  suspend(agentId: string, reason: string): Promise<void>;
};

export const FIXTURE_NOW = '2026-03-10T15:00:00.000Z';

/**
 * The production handlers on production DynamoDB adapters, against fresh tables on the
 * DynamoDB Local that jest's globalSetup started. Only send-path ports (queue, scheduler,
 * Twilio) are stubs: no agent/admin route uses them.
 */
export async function httpFixture(): Promise<HttpFixture> {
  const { client, db, tables } = await freshTables();
  // Each route's requests are held to its grants, as IAM holds them on AWS.
  enforceFunctionAccess({ dynamo: client }, { tables });
  const clock = new HandClock(new Date(FIXTURE_NOW));
  const adminKey = newAdminKey();
  const numbers = standInNumberLookup(clock);
  const deps = testDeps({
    client: db,
    tables,
    clock,
    subject: 'the agent API',
    config: { adminKey: adminKeyCheck(adminKey) },
    with: { lookup: numbers.lookup },
  });
  const handlers = new Map<string, HttpHandler>();
  const handler = (key: string): HttpHandler => {
    const factory = httpHandlers[key];
    if (factory === undefined) throw new Error(`no handler ${key}`);
    if (!handlers.has(key)) handlers.set(key, factory(deps));
    return handlers.get(key) as HttpHandler;
  };
  const call = async (key: string, event: ApiEventOptions): Promise<Reply> => {
    const result = await runAs(key, () => handler(key)(apiEvent(event), lambdaContext()));
    const text = result.body ?? '';
    return {
      status: result.statusCode ?? 200,
      body: text === '' ? undefined : JSON.parse(text),
      headers: result.headers ?? {},
    };
  };
  const request = async (key: string, { apiKey, ...event }: RouteRequest = {}): Promise<Reply> => {
    const route = httpRoutes.find((candidate) => candidate.key === key);
    if (route === undefined) throw new Error(`no route for ${key}`);
    const headers = apiKey === undefined ? event.headers : { ...bearer(apiKey), ...event.headers };
    return call(key, { ...event, method: route.method, path: route.path, headers });
  };
  const consentedContact = async (apiKey: string, what: ConsentedContact = {}) => {
    const phone = what.phone ?? randomPhone();
    const pathParameters = { phone };
    const body = what.contact ?? { name: 'Sam Ortiz', state: 'NY' };
    const stored = await request('contacts.put', { apiKey, pathParameters, body });
    if (stored.status >= 300) throw new Error(`contact not stored: ${JSON.stringify(stored.body)}`);
    for (const event of what.consent ?? [{}]) {
      const reply = await request('consent.append', {
        apiKey,
        pathParameters,
        body: { ...SIGNED_CONSENT, ...event },
      });
      if (reply.status !== 201) throw new Error(`consent not recorded: ${JSON.stringify(reply.body)}`);
    }
    return phone;
  };
  const newAgent = async (overrides: Record<string, unknown> = {}) => {
    const senderNumber = randomPhone();
    const reply = await request('agents.create', {
      apiKey: adminKey,
      body: {
        name: 'Dana Reyes',
        brokerage: 'Harbor Realty',
        senderNumber,
        forwardTo: randomPhone(),
        ...overrides,
      },
    });
    if (reply.status !== 201) throw new Error(`agent not created: ${JSON.stringify(reply.body)}`);
    return { agentId: reply.body.agentId as string, apiKey: reply.body.apiKey as string, senderNumber };
  };
  const suspend = async (agentId: string, reason: string) => {
    const reply = await request('agents.suspend', {
      pathParameters: { agentId },
      apiKey: adminKey,
      body: { reason },
    });
    if (reply.status !== 200) throw new Error(`agent not suspended: ${JSON.stringify(reply.body)}`);
  };
  return {
    deps,
    clock,
    adminKey,
    tables,
    db,
    lookup: numbers.standIn,
    call,
    request,
    consentedContact,
    newAgent,
    suspend,
  };
}

/** An agent the fixture created through the API. */
export type FixtureAgent = Awaited<ReturnType<HttpFixture['newAgent']>>;

/**
 * {@link httpFixture} for one test file, with one agent (`agent`) and a recording send queue
 * (an enrollment queues its first step): call at the top; the fields are filled in beforeAll.
 */
export function useHttpFixture(): HttpFixture & { agent: FixtureAgent } {
  const fixture = {} as HttpFixture & { agent: FixtureAgent };
  beforeAll(async () => {
    Object.assign(fixture, await httpFixture());
    fixture.deps.queue = recordingQueue();
    fixture.agent = await fixture.newAgent();
  });
  return fixture;
}

/** A random valid New York number in E.164 (212 area code, exchange 200–999). */
export function randomPhone(): string {
  return `+1212${randomInt(2_000_000, 10_000_000)}`;
}

/** `+12125550123` → `(212) 555-0123`. */
export function nationalForm(e164: string): string {
  const digits = e164.slice(2);
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}
