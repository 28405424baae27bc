import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, dynamoStores, type DynamoStores } from '../../lambdas/adapters/dynamo';
import { localDynamoClient } from '../../lambdas/local/engines/aws-clients';
import { startLocalRuntime, type LocalRuntime } from '../../lambdas/local/runtime';
import { appendConsent } from '../../lambdas/usecases/append-consent';
import { mapBounded } from '../../lambdas/usecases/bounded';
import { upsertContact } from '../../lambdas/usecases/upsert-contact';
import { httpClient } from '../e2e/api-client';
import { meterDynamo, type DynamoMeter } from './dynamo-meter';

/**
 * A weekday afternoon inside every recipient window, even the strictest (unknown location:
 * 12:00–20:00 Eastern; RI: until 18:00): Tuesday 2026-03-10 18:00Z is 14:00 EDT, 11:00 PDT.
 */
export const BENCH_CLOCK_START = new Date('2026-03-10T18:00:00Z');

/** One local runtime shared by the runtime benches, with a meter on the client its stores use. */
export type BenchRuntime = {
  runtime: LocalRuntime;
  /** Meters every DynamoDB call of the runtime: handlers, worker, sweep, status callbacks. */
  meter: DynamoMeter;
  /** A second client on the same engine for the bench's own reads, so they are not metered. */
  inspect: { client: DynamoDBClient; stores: DynamoStores };
  call: ReturnType<typeof httpClient>;
  /** Seconds the runtime took to start (DynamoDB Local JVM, fauxqs, tables). */
  startSeconds: number;
};

export type BenchAgent = { agentId: string; apiKey: string; senderNumber: string };

/** Starts the local runtime on its own engines (DynamoDB Local and fauxqs), test clock frozen. */
export async function startBenchRuntime(): Promise<BenchRuntime> {
  const started = process.hrtime.bigint();
  // No background sweep or schedule firing on timers: they would run inside timed requests.
  // `settle()` runs both between the timed parts.
  const runtime = await startLocalRuntime({
    port: 0,
    clockStart: BENCH_CLOCK_START,
    demoAgent: false,
    backgroundTimers: false,
  });
  const startSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = localDynamoClient(runtime.engines.dynamoEndpoint);
  return {
    runtime,
    meter: meterDynamo(runtime.engines.dynamoClient),
    inspect: {
      client,
      stores: dynamoStores({ client: documentClient(client), tables: runtime.engines.tables }),
    },
    call: httpClient(runtime.baseUrl),
    startSeconds,
  };
}

/**
 * `count` distinct, valid New York numbers for one bench: `series` (0–7) picks the exchange
 * block, so benches sharing a runtime never share a phone.
 */
export function benchPhones(series: number, count: number): string[] {
  if (!Number.isInteger(series) || series < 0 || series > 7) throw new RangeError('series must be 0–7');
  if (count > 1_000_000) throw new RangeError('at most 1,000,000 phones a series');
  return Array.from({ length: count }, (_, i) => `+1212${series + 2}${String(i).padStart(6, '0')}`);
}

/** Creates an agent through the admin API. */
export async function createBenchAgent(
  bench: BenchRuntime,
  name: string,
  senderNumber: string,
): Promise<BenchAgent> {
  const created = await bench.call('POST', '/v1/agents', bench.runtime.adminKey, {
    name,
    brokerage: 'Harbor Realty',
    senderNumber,
    forwardTo: '+13055550199',
  });
  if (created.status !== 201)
    throw new Error(`POST /v1/agents: ${created.status} ${JSON.stringify(created.body)}`);
  const { agentId, apiKey } = created.body as { agentId: string; apiKey: string };
  return { agentId, apiKey, senderNumber };
}

/** The body of `POST /v1/contacts/{phone}/consent` for a signed form. */
export function writtenConsent(agentName: string) {
  return {
    type: 'express_written',
    method: 'signed_form',
    at: new Date(BENCH_CLOCK_START.getTime() - 86_400_000).toISOString(),
    capturedBy: agentName,
    evidence: 'listing agreement page 4, SMS clause v2',
    channel: 'sms',
  };
}

/** Creates each phone as a contact of the agent (New York) without timing it. */
export async function createContacts(
  bench: BenchRuntime,
  agent: BenchAgent,
  phones: string[],
): Promise<void> {
  await mapBounded(phones, 8, async (phone) => {
    const put = await bench.call('PUT', `/v1/contacts/${encodeURIComponent(phone)}`, agent.apiKey, {
      name: 'Sam Lee',
      state: 'NY',
    });
    if (put.status !== 200 && put.status !== 201) throw new Error(`PUT contact ${phone}: ${put.status}`);
  });
}

/**
 * Creates the contacts and logs written consent for each through the use cases (setup, not
 * timed: the HTTP layer would only slow the bench down here).
 */
export async function createConsentedContacts(
  bench: BenchRuntime,
  agent: BenchAgent,
  phones: string[],
): Promise<void> {
  const { deps } = bench.runtime;
  const stored = await deps.stores.agents.get(agent.agentId);
  if (stored === undefined) throw new Error(`no agent ${agent.agentId}`);
  const consent = writtenConsent(stored.name);
  await mapBounded(phones, 8, async (phone) => {
    await upsertContact(deps, stored, phone, { name: 'Sam Lee', state: 'NY' });
    await appendConsent(deps, stored, phone, {
      type: 'express_written',
      channel: 'sms',
      at: consent.at,
      method: consent.method,
      evidence: consent.evidence,
      capturedBy: consent.capturedBy,
    });
  });
}

/** A bench's agent and the phones of its contacts, stored before the measured part. */
export type BenchAudience = { agent: BenchAgent; phones: string[] };

/**
 * The set-up a bench starts with, not timed: an agent `name` on `senderNumber`, `count` phones of
 * `series` stored as its contacts (with written consent unless `consented` is false), then the
 * runtime settled so its background work does not land in the measured part.
 */
export async function benchAudience(
  bench: BenchRuntime,
  options: {
    label: string;
    name: string;
    senderNumber: string;
    series: number;
    count: number;
    consented?: boolean;
  },
): Promise<BenchAudience> {
  const agent = await createBenchAgent(bench, options.name, options.senderNumber);
  const phones = benchPhones(options.series, options.count);
  const consented = options.consented ?? true;
  progress(`${options.label}: ${phones.length} contacts${consented ? ' with written consent' : ''}`);
  await (consented ? createConsentedContacts : createContacts)(bench, agent, phones);
  await bench.runtime.settle();
  return { agent, phones };
}

/** Milliseconds `fn` takes, and what it returned. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Progress on stderr, so stdout holds only the final table. */
export function progress(message: string): void {
  const seconds = (performance.now() / 1000).toFixed(1).padStart(6);
  process.stderr.write(`bench ${seconds} s: ${message}\n`);
}
