import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  countRoundTrips,
  createTables,
  documentClient,
  prefixedTableNames,
  type RoundTripCounter,
} from '../../../lambdas/adapters/dynamo';
import { twilioSmsGateway } from '../../../lambdas/adapters/twilio/sms-gateway';
import { localDynamoClient } from '../../../lambdas/local/engines/aws-clients';
import { createTwilioStandIn, type TwilioStandIn } from '../../../lambdas/local/twilio-standin';
import type { Agent, Contact, ContactFields, ReleaseScheduler, SendQueue } from '../../../lambdas/ports';
import type { Deps } from '../../../lambdas/usecases/deps';
import { seedAgent } from '../../support/agents';
import { dynamoEndpoint, uniquePrefix } from '../../support/dynamo';
import { standInNumberLookup, type LookupStandIn } from '../../../lambdas/local/lookup-standin';
import { testDeps } from '../../support/deps';
import { meterDynamo, type DynamoMeter } from '../../bench/dynamo-meter';

/** A clock the test sets by hand, to any instant. */
export class SettableClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
}

export type RecordingQueue = SendQueue & {
  enqueued: { messageId: string; phone: string; dedupSuffix?: string }[];
};
export type RecordingScheduler = ReleaseScheduler & {
  releases: { messageId: string; phone: string; releaseAt: string; attempt: number }[];
};

export type SendFixture = {
  deps: Deps;
  clock: SettableClock;
  queue: RecordingQueue;
  scheduler: RecordingScheduler;
  twilio: TwilioStandIn;
  /** Twilio Lookup as the send path sees it: declare reassignments, line types, failures. */
  lookup: LookupStandIn;
  /** DynamoDB round trips of every store in `deps`. */
  trips: RoundTripCounter;
  /** Round trips and consumed capacity per operation of every store in `deps`. */
  meter: DynamoMeter;
  /** An agent with a random sender number; `overrides` are stored as given. */
  newAgent(overrides?: Partial<Agent>): Promise<Agent>;
  /**
   * A contact of `agent` at `phone` with the given location fields and, unless `consent` is
   * false, express written consent obtained a day before the clock's now.
   */
  newContact(agent: Agent, phone: string, fields?: ContactFields, consent?: boolean): Promise<Contact>;
};

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'send-path-token';
// Long enough for a loaded machine (a slow answer would read as a timeout), short enough that
// the timeout test stays quick.
const TWILIO_TIMEOUT_MS = 2_000;

/**
 * The send path on real parts: DynamoDB stores on fresh tables of the shared DynamoDB Local, the
 * Twilio gateway against the Twilio stand-in on a free 127.0.0.1 port, a settable clock; the
 * queue and scheduler are recording fakes (the worker is invoked directly). Call at the top of
 * a describe; the fields are filled in beforeAll.
 */
export function useSendFixture(start: string): SendFixture {
  const fixture = {} as SendFixture;
  let raw: DynamoDBClient;
  let server: Server;

  beforeAll(async () => {
    raw = localDynamoClient(dynamoEndpoint());
    const tables = prefixedTableNames(uniquePrefix());
    await createTables(raw, tables);
    const db = documentClient(raw);
    const clock = new SettableClock(new Date(start));
    // Status callbacks are the webhooks' business, not the send path's: answer them in process.
    const twilio = createTwilioStandIn({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      clock,
      fetch: async () => new Response(null, { status: 204 }),
    });
    server = createServer((req, res) => {
      void twilio.handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const queue: RecordingQueue = {
      enqueued: [],
      async enqueue(message) {
        queue.enqueued.push(message);
      },
    };
    const scheduler: RecordingScheduler = {
      releases: [],
      async scheduleRelease(release) {
        scheduler.releases.push(release);
      },
    };
    const numbers = standInNumberLookup(clock);
    const deps = testDeps({
      client: db,
      tables,
      clock,
      subject: 'the send path',
      config: { twilioAccountSid: ACCOUNT_SID, twilioAuthToken: AUTH_TOKEN },
      with: {
        queue,
        scheduler,
        lookup: numbers.lookup,
        sms: twilioSmsGateway({
          accountSid: ACCOUNT_SID,
          authToken: AUTH_TOKEN,
          baseUrl,
          timeoutMs: TWILIO_TIMEOUT_MS,
        }),
      },
    });
    Object.assign(fixture, {
      deps,
      clock,
      queue,
      scheduler,
      twilio,
      lookup: numbers.standIn,
      trips: countRoundTrips(db),
      meter: meterDynamo(raw),
      newAgent(overrides: Partial<Agent> = {}) {
        return seedAgent(deps.stores.agents, clock, overrides);
      },
      async newContact(agent: Agent, phone: string, fields: ContactFields = {}, consent = true) {
        const now = clock.now();
        const { contact } = await deps.stores.contacts.upsert(
          agent.agentId,
          phone,
          fields,
          now.toISOString(),
        );
        if (consent) {
          await deps.stores.ledger.append(
            {
              agentId: agent.agentId,
              phone,
              channel: 'sms',
              type: 'express_written',
              at: new Date(now.getTime() - 86_400_000).toISOString(),
              method: 'signed_form',
              capturedBy: 'Dana Reyes',
              evidence: 'listing agreement, texting clause signed',
            },
            now.toISOString(),
          );
        }
        return contact;
      },
    } satisfies SendFixture);
  });

  afterAll(async () => {
    fixture.twilio?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    raw?.destroy();
  });

  return fixture;
}

/** A random valid number in the area code, exchange 200–999. */
export function phoneIn(areaCode: string): string {
  return `+1${areaCode}${randomInt(2_000_000, 10_000_000)}`;
}
