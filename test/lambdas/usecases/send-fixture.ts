import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { countRoundTrips, type RoundTripCounter } from '../../../lambdas/adapters/dynamo';
import { twilioSmsGateway } from '../../../lambdas/adapters/twilio/sms-gateway';
import { createTwilioStandIn, type TwilioStandIn } from '../../../lambdas/local/twilio-standin';
import type { Purpose } from '../../../lambdas/compliance/types';
import type {
  Agent,
  Contact,
  ContactFields,
  MessageKind,
  MessageRecord,
  ReleaseScheduler,
  SendQueue,
} from '../../../lambdas/ports';
import type { Deps } from '../../../lambdas/usecases/deps';
import { newMessageRecord } from '../../../lambdas/usecases/message-records';
import { seedAgent } from '../../support/agents';
import { freshTables } from '../../support/dynamo';
import { close, listen, serve } from '../../support/servers';
import { HandClock } from '../../support/hand-clock';
import { standInNumberLookup, type LookupStandIn } from '../../../lambdas/local/lookup-standin';
import { testDeps } from '../../support/deps';
import { meterDynamo, type DynamoMeter } from '../../bench/dynamo-meter';
import { queueOneByOne } from '../../../lambdas/adapters/sqs/queue-one-by-one';

export type RecordingQueue = SendQueue & {
  enqueued: Parameters<SendQueue['enqueue']>[0][];
};
export type RecordingScheduler = ReleaseScheduler & {
  releases: { messageId: string; phone: string; releaseAt: string; attempt: number }[];
};

export type SendFixture = {
  deps: Deps;
  clock: HandClock;
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
  /**
   * Stores a text of `agent` to `phone`, queued at the clock's now as the sweep or the API leaves
   * it (default: a drip step, automated).
   */
  queuedMessage(agent: Agent, phone: string, text?: QueuedText): Promise<MessageRecord>;
};

/** What {@link SendFixture.queuedMessage} stores. */
export type QueuedText = { kind?: MessageKind; purpose?: Purpose; body?: string };

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
    const fresh = await freshTables();
    raw = fresh.client;
    const { db, tables } = fresh;
    const clock = new HandClock(new Date(start));
    // Status callbacks are the webhooks' business, not the send path's: answer them in process.
    const twilio = createTwilioStandIn({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      clock,
      fetch: async () => new Response(null, { status: 204 }),
    });
    server = serve(twilio);
    const baseUrl = await listen(server);

    const enqueued: RecordingQueue['enqueued'] = [];
    const queue: RecordingQueue = {
      enqueued,
      ...queueOneByOne(async (message) => void enqueued.push(message)),
    };
    const scheduler: RecordingScheduler = {
      releases: [],
      // What a release is booked for; the gate key it carries to the queue has tests of its own.
      async scheduleRelease({ messageId, phone, releaseAt, attempt }) {
        scheduler.releases.push({ messageId, phone, releaseAt, attempt });
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
      async queuedMessage(agent: Agent, phone: string, text: QueuedText = {}) {
        const message = newMessageRecord({
          agentId: agent.agentId,
          phone,
          kind: text.kind ?? 'drip',
          purpose: text.purpose ?? 'automated',
          body: text.body ?? 'Hi, checking in on the house.',
          at: clock.now(),
        });
        await deps.stores.messages.create(message);
        return message;
      },
    } satisfies SendFixture);
  });

  afterAll(async () => {
    fixture.twilio?.stop();
    if (server) await close(server);
    raw?.destroy();
  });

  return fixture;
}

/** A random valid number in the area code, exchange 200–999. */
export function phoneIn(areaCode: string): string {
  return `+1${areaCode}${randomInt(2_000_000, 10_000_000)}`;
}
