import { mapBounded } from '../../lambdas/usecases/bounded';
import {
  benchPhones,
  createBenchAgent,
  createConsentedContacts,
  progress,
  type BenchAgent,
  type BenchRuntime,
} from './bench-runtime';
import { cpuDuring, dynamoLocalPid } from './cpu-time';
import { describeOperations, since } from './dynamo-meter';
import { recordFigure } from './figures';
import { capacity, fmt, type BenchSection } from './measure';
import { rawWriter } from './raw-writes';

export type PipelineBenchOptions = {
  /** Contacts with written consent to text; created when absent. */
  contacts?: { agent: BenchAgent; phones: string[] };
  /** Messages timed. */
  count?: number;
  /** `POST /v1/messages` requests in flight at once. */
  concurrency?: number;
};

const WARM_UP = 10;
const RAW_SEQUENTIAL = 1_000;
const RAW_PARALLEL = 2_000;
const RAW_CONCURRENCY = 16;

/**
 * Issue 6: agent texts through the whole local pipeline — `POST /v1/messages` (gate, log,
 * enqueue), the SQS FIFO queue (fauxqs), the send worker (fresh reads, gate again, caps slot,
 * `queued → sending`, Twilio stand-in, `sent`) and the delivery status callbacks — timed from
 * the first request until every message is sent and the runtime has settled. The send worker
 * polls all along, so creation and sending overlap, as on AWS.
 *
 * Against it: the engine's raw conditional PutItem rate divided by the writes one send makes,
 * i.e. what the pipeline would do if its writes were all it cost.
 */
export async function benchPipeline(
  bench: BenchRuntime,
  options: PipelineBenchOptions = {},
): Promise<BenchSection> {
  const count = options.count ?? 300;
  const concurrency = options.concurrency ?? 8;
  const { runtime } = bench;
  const contacts = options.contacts ?? (await newContacts(bench, WARM_UP + count));
  if (contacts.phones.length < WARM_UP + count)
    throw new Error(`the pipeline bench needs ${WARM_UP + count} consented contacts`);
  const { agent } = contacts;
  const send = async (phone: string): Promise<string> => {
    const created = await bench.call('POST', '/v1/messages', agent.apiKey, {
      to: phone,
      body: 'Hi Sam, the inspection report for the house is in. Call me when you have 10 minutes?',
    });
    const body = created.body as { messageId?: string; verdict?: string };
    if (created.status !== 202 || body.verdict !== 'send' || body.messageId === undefined)
      throw new Error(`POST /v1/messages to ${phone}: ${created.status} ${JSON.stringify(created.body)}`);
    return body.messageId;
  };

  await mapBounded(contacts.phones.slice(0, WARM_UP), concurrency, send);
  await runtime.settle();
  // What settling costs with nothing to send (one sweep of today), taken off the run below.
  const idleBefore = bench.meter.snapshot();
  await runtime.settle();
  const idle = since(idleBefore, bench.meter.snapshot());

  progress(`pipeline: ${count} messages`);
  const jvmPid = dynamoLocalPid(Number(new URL(runtime.engines.dynamoEndpoint).port));
  const before = bench.meter.snapshot();
  const started = process.hrtime.bigint();
  let postedSeconds = 0;
  const {
    value: messageIds,
    nodeMs,
    jvmMs,
  } = await cpuDuring(jvmPid, async () => {
    const ids = await mapBounded(contacts.phones.slice(WARM_UP, WARM_UP + count), concurrency, send);
    postedSeconds = seconds(started);
    await runtime.settle();
    return ids;
  });
  const totalSeconds = seconds(started);
  const run = since(idle, since(before, bench.meter.snapshot()));

  const statuses = await mapBounded(
    messageIds,
    8,
    async (id) => (await bench.inspect.stores.messages.get(id))?.status,
  );
  const sent = statuses.filter((status) => status === 'sent' || status === 'delivered').length;
  if (sent !== count) progress(`pipeline: only ${sent} of ${count} messages were sent`);

  progress('pipeline: raw PutItem throughput');
  const raw = await rawWriter(bench.inspect.client);
  const rawSequential = await raw.throughput(RAW_SEQUENTIAL, 1);
  const rawParallel = await raw.throughput(RAW_PARALLEL, RAW_CONCURRENCY);

  const sendsPerSecond = sent / totalSeconds;
  const writesPerSend = run.writeRoundTrips / count;
  const boundSequential = rawSequential / writesPerSend;
  const boundParallel = rawParallel / writesPerSend;
  recordFigure('send.n', count);
  recordFigure('send.perSecond', sendsPerSecond);
  recordFigure('send.roundTrips', run.roundTrips / count);
  recordFigure('send.writeRoundTrips', writesPerSend);
  recordFigure('send.rcu', run.readCapacityUnits / count);
  recordFigure('send.wcu', run.writeCapacityUnits / count);
  recordFigure('send.refusedWrites', run.failedWrites / count);
  recordFigure('send.nodeCpuMs', nodeMs / count);
  if (jvmMs !== undefined) recordFigure('send.dynamoLocalCpuMs', jvmMs / count);
  return {
    title: 'Send pipeline (local engine: API → SQS FIFO → worker → Twilio stand-in → status callbacks)',
    rows: [
      [
        `sends/s, first POST → all sent and settled (N=${count}, ${concurrency} POSTs in flight)`,
        `${sendsPerSecond.toFixed(1)} (${sent} sent in ${totalSeconds.toFixed(2)} s; POSTs done at ${postedSeconds.toFixed(2)} s)`,
      ],
      [
        'raw conditional PutItems/s, sequential / 16 in flight',
        `${fmt(Math.round(rawSequential))} / ${fmt(Math.round(rawParallel))}`,
      ],
      ['DynamoDB writes per send (API + worker + callbacks)', fmt(writesPerSend)],
      [
        'raw PutItems/s ÷ writes per send, sequential / 16 in flight',
        `${boundSequential.toFixed(1)} / ${boundParallel.toFixed(1)} sends/s`,
      ],
      [
        'ratio pipeline ÷ that bound, sequential / 16 in flight',
        `${(sendsPerSecond / boundSequential).toFixed(2)} / ${(sendsPerSecond / boundParallel).toFixed(2)}`,
      ],
      ['DynamoDB round trips per send', `${fmt(run.roundTrips / count)}: ${describeOperations(run, count)}`],
      [
        'consumed capacity per send, refused conditional writes billed as on AWS',
        `${capacity(run.readCapacityUnits, run.writeCapacityUnits, count)} (${fmt(run.failedWrites / count)} refused, ${fmt(run.failedWriteCapacityUnits / count)} WCU of it)`,
      ],
      [
        'CPU time per send: Node process / DynamoDB Local JVM',
        `${(nodeMs / count).toFixed(2)} / ${jvmMs === undefined ? 'n/a (no /proc)' : (jvmMs / count).toFixed(2)} ms`,
      ],
    ],
  };
}

async function newContacts(
  bench: BenchRuntime,
  count: number,
): Promise<{ agent: BenchAgent; phones: string[] }> {
  const agent = await createBenchAgent(bench, 'Pipeline Bench', '+13055550113');
  const phones = benchPhones(2, count);
  progress(`pipeline: consent for ${count} contacts`);
  await createConsentedContacts(bench, agent, phones);
  return { agent, phones };
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}
