import { randomInt } from 'node:crypto';
import type { Agent, Contact, ContactFields, LedgerEventDraft, SendQueue } from '../../../lambdas/ports';
import type { Deps } from '../../../lambdas/usecases/deps';
import { seedAgent } from '../../support/agents';
import { freshTables } from '../../support/dynamo';
import { HandClock } from '../../support/hand-clock';
import { testDeps } from '../../support/deps';
import { queueOneByOne } from '../../../lambdas/adapters/sqs/queue-one-by-one';

const DAY_MS = 86_400_000;

/** A send queue that records what it is given; `failNext` makes the next `n` calls throw. */
export type RecordingQueue = SendQueue & {
  enqueued: { messageId: string; phone: string }[];
  failNext(n: number): void;
};

export function recordingQueue(): RecordingQueue {
  let failures = 0;
  const enqueued: RecordingQueue['enqueued'] = [];
  return {
    enqueued,
    failNext(n) {
      failures = n;
    },
    ...queueOneByOne(async (message) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('queue unavailable');
      }
      enqueued.push({ messageId: message.messageId, phone: message.phone });
    }),
  };
}

export type CadenceFixture = {
  deps: Deps;
  clock: HandClock;
  queue: RecordingQueue;
  newAgent(overrides?: Partial<Agent>): Promise<Agent>;
  /** A contact with express written consent obtained a day before now unless `consent` is false. */
  newContact(agent: Agent, fields?: ContactFields, consent?: boolean): Promise<Contact>;
  /** Appends an SMS consent event of `to`: the agent's contact (its agentId and phone). */
  appendConsent(
    to: Pick<Contact, 'agentId' | 'phone'>,
    event: Omit<LedgerEventDraft, 'channel' | 'agentId' | 'phone'>,
  ): Promise<void>;
  close(): void;
};

/**
 * The real DynamoDB stores on fresh tables of the shared DynamoDB Local (so the sweep cursor,
 * one item per deployment, starts absent), a hand clock and a recording queue.
 */
export async function cadenceFixture(start: string): Promise<CadenceFixture> {
  const { client: raw, db, tables } = await freshTables();
  const clock = new HandClock(new Date(start));
  const queue = recordingQueue();
  const deps = testDeps({
    client: db,
    tables,
    clock,
    subject: 'the cadence',
    with: { queue },
  });
  const appendConsent: CadenceFixture['appendConsent'] = async (to, event) => {
    await deps.stores.ledger.append(
      { ...event, channel: 'sms', agentId: to.agentId, phone: to.phone },
      clock.now().toISOString(),
    );
  };
  return {
    deps,
    clock,
    queue,
    appendConsent,
    newAgent(overrides: Partial<Agent> = {}) {
      return seedAgent(deps.stores.agents, clock, overrides);
    },
    async newContact(agent, fields = { name: 'Maria Lopez', state: 'NY' }, consent = true) {
      const phone = `+1212${randomInt(2_000_000, 10_000_000)}`;
      const { contact } = await deps.stores.contacts.upsert(
        agent.agentId,
        phone,
        fields,
        clock.now().toISOString(),
      );
      if (consent) {
        await appendConsent(contact, {
          type: 'express_written',
          at: new Date(clock.now().getTime() - DAY_MS).toISOString(),
          method: 'signed_form',
          capturedBy: 'Dana Reyes',
          evidence: 'buyer agreement, texting clause initialled',
        });
      }
      return contact;
    },
    close() {
      raw.destroy();
    },
  };
}

/**
 * {@link cadenceFixture} for one describe: call at its top; the fields are filled in beforeAll,
 * the clock is set back to `start` before each test and the client closed after all.
 */
export function useCadenceFixture(start: string): CadenceFixture {
  const fixture = {} as CadenceFixture;
  beforeAll(async () => {
    Object.assign(fixture, await cadenceFixture(start));
  });
  afterAll(() => fixture.close?.());
  beforeEach(() => fixture.clock.set(start));
  return fixture;
}
