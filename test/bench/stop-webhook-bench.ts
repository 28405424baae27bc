import { randomBytes } from 'node:crypto';
import { documentClient, dynamoStores } from '../../lambdas/adapters/dynamo';
import { localDynamoClient } from '../../lambdas/local/engines/aws-clients';
import { sendInbound } from '../../lambdas/local/simulated-phone';
import { receiveInboundSms } from '../../lambdas/usecases/inbound-sms';
import {
  benchPhones,
  createBenchAgent,
  createConsentedContacts,
  progress,
  timed,
  type BenchRuntime,
} from './bench-runtime';
import { describeOperations, meterDynamo, since } from './dynamo-meter';
import { recordFigure } from './figures';
import { keepAliveFetch } from './keep-alive-fetch';
import { capacity, fmt, pair, percentiles, type BenchSection } from './measure';
import { rawWriter } from './raw-writes';

export type StopBenchOptions = {
  /**
   * Timed STOPs, each from a fresh phone, with the queue settled between them, each followed by
   * one timed raw conditional PutItem (A B A B …), so both see the same machine load.
   */
  count?: number;
  /** Timed STOPs back to back, the worker sending confirmations meanwhile. */
  backToBack?: number;
  /** STOPs run through the use case on a metered client of their own, for an exact round-trip count. */
  counted?: number;
};

const WARM_UP = 20;

/**
 * RULES §2: a STOP through the runtime's real HTTP server, from request start to the
 * response (the opt-out is durable before it), next to one raw conditional PutItem on the same
 * engine. Each phone has written consent with the agent first, as a real STOP would.
 */
export async function benchStopWebhook(
  bench: BenchRuntime,
  options: StopBenchOptions = {},
): Promise<BenchSection> {
  const count = options.count ?? 1_000;
  const backToBack = options.backToBack ?? 100;
  const counted = options.counted ?? 20;
  const { runtime } = bench;
  const agent = await createBenchAgent(bench, 'Riley Quinn', '+13055550111');
  const phones = benchPhones(0, WARM_UP + count + backToBack + counted);
  progress(`STOP: consent for ${phones.length} contacts`);
  await createConsentedContacts(bench, agent, phones);
  await runtime.settle();

  // Posted on node:http, as the SDK posts the raw PutItem: what is timed is the webhook, not the
  // caller's HTTP client (Twilio's side).
  const http = keepAliveFetch();
  const stop = (phone: string) =>
    sendInbound({
      from: phone,
      to: agent.senderNumber,
      body: 'STOP',
      webhookUrl: `${runtime.baseUrl}/twilio/sms`,
      authToken: runtime.twilioAuthToken,
      fetch: http.fetch,
    });
  for (const phone of phones.slice(0, WARM_UP)) await stop(phone);
  await runtime.settle();

  // Alone: the webhook as it runs on AWS, with the send worker and the fallback processor in
  // Lambdas of their own — their consumers do not poll in this process while a STOP is timed,
  // and the queue settles between STOPs; each STOP is followed by one raw conditional PutItem,
  // timed the same way.
  const raw = await rawWriter(bench.inspect.client);
  progress(`STOP: ${count} webhooks, one at a time, interleaved with ${count} raw conditional PutItems`);
  const rawDurations: number[] = [];
  // The meter is off meanwhile: its ReturnConsumedCapacity is engine work production never asks for.
  await runtime.pauseQueues();
  bench.meter.pause();
  const alone = await timeStops(bench, phones.slice(WARM_UP, WARM_UP + count), stop, async () => {
    // Whoever replies to a STOP (Twilio itself on a long code, or our confirmation), the queue
    // and the callbacks settle before the next pair. A STOP schedules nothing: no sweep needed.
    await runtime.drainQueues();
    rawDurations.push(await raw.once());
  }).finally(() => {
    bench.meter.resume();
    runtime.resumeQueues();
  });
  // Back to back: the worker sends the previous confirmations in this same Node process meanwhile.
  progress(`STOP: ${backToBack} webhooks back to back`);
  const loadedPhones = phones.slice(WARM_UP + count, WARM_UP + count + backToBack);
  const before = bench.meter.snapshot();
  const loaded = await timeStops(bench, loadedPhones, stop, async () => undefined);
  http.close();
  await runtime.settle();
  const lifecycle = since(before, bench.meter.snapshot());
  const confirmations = [...alone.phones, ...loadedPhones].reduce(
    (sum, phone) => sum + runtime.twilio.inbox(phone).length,
    0,
  );

  // The webhook alone, exactly: the same use case on a metered client of its own, so the send
  // worker's calls for the confirmations (on the runtime's client) are not mixed in.
  const ownClient = localDynamoClient(runtime.engines.dynamoEndpoint);
  const ownMeter = meterDynamo(ownClient);
  const deps = {
    ...runtime.deps,
    stores: dynamoStores({ client: documentClient(ownClient), tables: runtime.engines.tables }),
  };
  const countedPhones = phones.slice(WARM_UP + count + backToBack);
  // A warm Lambda: its stores have seen the agent's number (the webhooks above did, on theirs).
  await deps.stores.agents.senderAgent(agent.senderNumber);
  const warm = ownMeter.snapshot();
  for (const phone of countedPhones) {
    await receiveInboundSms(deps, {
      messageSid: `SM${randomBytes(16).toString('hex')}`,
      from: phone,
      to: agent.senderNumber,
      body: 'STOP',
    });
  }
  const webhook = since(warm, ownMeter.snapshot());
  await runtime.settle();

  const aloneMs = percentiles(alone.durations);
  const loadedMs = percentiles(loaded.durations);
  const putMs = percentiles(rawDurations);
  recordFigure('stop.n', count);
  recordFigure('stop.p50', aloneMs.p50);
  recordFigure('stop.p99', aloneMs.p99);
  recordFigure('stop.backToBackP99', loadedMs.p99);
  recordFigure('rawWrite.p50', putMs.p50);
  recordFigure('rawWrite.p99', putMs.p99);
  recordFigure('stop.p50Ratio', aloneMs.p50 / putMs.p50);
  recordFigure('stop.p99Ratio', aloneMs.p99 / putMs.p99);
  recordFigure('stop.roundTrips', webhook.roundTrips / counted);
  recordFigure('stop.rcu', webhook.readCapacityUnits / counted);
  recordFigure('stop.wcu', webhook.writeCapacityUnits / counted);
  recordFigure('stop.roundTripsWithConfirmation', lifecycle.roundTrips / backToBack);
  return {
    title: 'STOP webhook (local engine)',
    rows: [
      [
        `STOP webhook p50 / p99, request → opt-out durable → response, queue settled between, its consumers not polling in this process (N=${count})`,
        pair(aloneMs.p50, aloneMs.p99, 'ms'),
      ],
      [
        `  the same, back to back: the worker sends confirmations in the same process (N=${backToBack})`,
        pair(loadedMs.p50, loadedMs.p99, 'ms'),
      ],
      [
        `one raw conditional PutItem p50 / p99, each right after a STOP above (N=${count})`,
        pair(putMs.p50, putMs.p99, 'ms'),
      ],
      [
        'ratio STOP (settled) ÷ PutItem, interleaved, p50 / p99 — target p99 ≤ 3×',
        pair(aloneMs.p50 / putMs.p50, aloneMs.p99 / putMs.p99, '×'),
      ],
      [
        'opt-out readable when the response arrived',
        `${alone.durable + loaded.durable} / ${count + backToBack}`,
      ],
      [
        'confirmation texts per opt-out',
        `${(confirmations / (count + backToBack)).toFixed(2)} (${confirmations} for ${count + backToBack})`,
      ],
      [
        'DynamoDB round trips per STOP (webhook, warm Lambda) — target ≤ 3',
        `${fmt(webhook.roundTrips / counted)}: ${describeOperations(webhook, counted)}`,
      ],
      [
        'capacity units per STOP (webhook), refused conditional writes billed as on AWS',
        `${capacity(webhook.readCapacityUnits, webhook.writeCapacityUnits, counted)} (${fmt(webhook.failedWrites / counted)} refused)`,
      ],
      [
        'round trips per STOP incl. sending its confirmation',
        `${fmt(lifecycle.roundTrips / backToBack)} (${fmt(lifecycle.writeRoundTrips / backToBack)} writes)`,
      ],
    ],
  };
}

type Stopped = { status: number; body: string };

/** Times one STOP per phone, reads its opt-out after each response, then runs `between`. */
async function timeStops(
  bench: BenchRuntime,
  phones: string[],
  stop: (phone: string) => Promise<Stopped>,
  between: (phone: string) => Promise<void>,
): Promise<{ phones: string[]; durations: number[]; durable: number }> {
  const durations: number[] = [];
  let durable = 0;
  for (const phone of phones) {
    const { ms, value } = await timed(() => stop(phone));
    if (value.status !== 200) throw new Error(`STOP from ${phone}: HTTP ${value.status} ${value.body}`);
    durations.push(ms);
    // Read after the response, outside the timing: the opt-out must already be there.
    if ((await bench.inspect.stores.optouts.list(phone)).length > 0) durable += 1;
    await between(phone);
  }
  return { phones, durations, durable };
}
