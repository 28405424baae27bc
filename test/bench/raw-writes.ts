import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/adapters/dynamo';
import { mapBounded } from '../../lambdas/usecases/bounded';
import { createKeyTable } from '../support/dynamo';

/**
 * The floor under every figure of the pipeline: one conditional PutItem, as our adapters write
 * (document client, `attribute_not_exists`), into a bench-only table on the same engine, with
 * an item about the size of an opt-out record.
 */
export type RawWriter = {
  /** Times one put; milliseconds (for measuring interleaved with another operation). */
  once(): Promise<number>;
  /** Times `count` sequential puts, one at a time; milliseconds each. */
  latencies(count: number): Promise<number[]>;
  /** Puts per second with `concurrency` in flight, over `count` puts. */
  throughput(count: number, concurrency: number): Promise<number>;
};

let writers = 0;

/** Creates the bench table on the engine `client` talks to. */
export async function rawWriter(client: DynamoDBClient): Promise<RawWriter> {
  const table = `bench_raw_${process.pid}_${++writers}`;
  await createKeyTable(client, table);
  const doc = documentClient(client);
  let next = 0;
  const put = () =>
    doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `+1999${String(next++).padStart(7, '0')}`,
          sk: `${new Date().toISOString()}#opt_00000000-0000-4000-8000-000000000000`,
          agentId: 'agt_00000000-0000-4000-8000-000000000000',
          source: 'keyword',
          words: 'STOP',
          messageSid: 'SM00000000000000000000000000000000',
          recordedAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  // The first calls pay for connection set-up and JIT; neither is the engine's cost.
  for (let i = 0; i < 50; i++) await put();

  return {
    async once() {
      const started = process.hrtime.bigint();
      await put();
      return Number(process.hrtime.bigint() - started) / 1e6;
    },
    async latencies(count) {
      const durations: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = process.hrtime.bigint();
        await put();
        durations.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return durations;
    },
    async throughput(count, concurrency) {
      const started = process.hrtime.bigint();
      await mapBounded(
        Array.from({ length: count }, (_, i) => i),
        concurrency,
        put,
      );
      return count / (Number(process.hrtime.bigint() - started) / 1e9);
    },
  };
}
