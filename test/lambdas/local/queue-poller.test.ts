import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { localSqsClient } from '../../../lambdas/local/engines/aws-clients';
import { drainQueues, startQueuePoller, type QueuePoller } from '../../../lambdas/local/queue-poller';

const endpoint = process.env.SQS_ENDPOINT;
let client: SQSClient;
const queues: string[] = [];
let poller: QueuePoller | undefined;

beforeAll(() => {
  if (endpoint === undefined) throw new Error('SQS_ENDPOINT is not set: the jest globalSetup starts fauxqs');
  client = localSqsClient(endpoint);
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  for (const url of queues.splice(0)) await client.send(new DeleteQueueCommand({ QueueUrl: url }));
});

afterAll(() => client.destroy());

async function fifoQueue(attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl = '' } = await client.send(
    new CreateQueueCommand({
      QueueName: `poll-${randomUUID()}.fifo`,
      Attributes: { FifoQueue: 'true', ...attributes },
    }),
  );
  queues.push(QueueUrl);
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
}

async function send(queueUrl: string, group: string, body: string): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: body,
    }),
  );
}

/** A handler that logs every record it sees and fails the ones `fail` picks. */
function recordingHandler(fail: (record: SQSRecord) => boolean = () => false) {
  const seen: SQSRecord[] = [];
  const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    seen.push(...event.Records);
    return { batchItemFailures: event.Records.filter(fail).map((r) => ({ itemIdentifier: r.messageId })) };
  };
  return { seen, handler, bodies: () => seen.map((r) => r.body) };
}

describe('startQueuePoller', () => {
  it('hands the handler Lambda-shaped records with the FIFO attributes', async () => {
    const queue = await fifoQueue();
    await send(queue.url, '+13055550100', 'only');
    const { seen, handler } = recordingHandler();

    poller = await startQueuePoller({ client, queueUrl: queue.url, handler });
    await poller.drain();

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      body: 'only',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
      attributes: {
        MessageGroupId: '+13055550100',
        MessageDeduplicationId: 'only',
        ApproximateReceiveCount: '1',
      },
    });
    expect(Number(seen[0]?.attributes.SentTimestamp)).toBeGreaterThan(0);
  });

  it('deletes the records that succeeded and brings a failed one back after the visibility timeout', async () => {
    const queue = await fifoQueue();
    await send(queue.url, 'g1', 'ok-1');
    await send(queue.url, 'g2', 'fails-once');
    await send(queue.url, 'g3', 'ok-3');
    const { seen, handler } = recordingHandler(
      (r) => r.body === 'fails-once' && r.attributes.ApproximateReceiveCount === '1',
    );

    poller = await startQueuePoller({ client, queueUrl: queue.url, handler, visibilityTimeout: 1 });
    await poller.drain();

    const receives = (body: string) =>
      seen.filter((r) => r.body === body).map((r) => r.attributes.ApproximateReceiveCount);
    expect(receives('ok-1')).toEqual(['1']);
    expect(receives('ok-3')).toEqual(['1']);
    expect(receives('fails-once')).toEqual(['1', '2']);
  });

  it('brings a failed record back as soon as its batch is done with retryFailedAtOnce, long before the visibility timeout', async () => {
    const queue = await fifoQueue();
    await send(queue.url, 'g1', 'fails-twice');
    const { seen, handler } = recordingHandler((r) => Number(r.attributes.ApproximateReceiveCount) <= 2);

    poller = await startQueuePoller({
      client,
      queueUrl: queue.url,
      handler,
      visibilityTimeout: 30,
      retryFailedAtOnce: true,
    });
    // Waiting out the 30 s visibility timeout twice would miss the drain's 5 s: it rejects then.
    await poller.drain({ timeoutMs: 5_000 });

    expect(seen.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
  });

  it('drains one queue polled by several pollers only once all of them are done', async () => {
    const queue = await fifoQueue();
    for (let i = 0; i < 12; i++) await send(queue.url, `g${i % 4}`, `m${i}`);
    const done: string[] = [];
    const slowHandler = async (event: SQSEvent) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      done.push(...event.Records.map((r) => r.body));
    };
    const pollers = await Promise.all(
      [1, 2, 3].map(() =>
        startQueuePoller({ client, queueUrl: queue.url, handler: slowHandler, batchSize: 1 }),
      ),
    );

    try {
      await drainQueues(pollers);
      const { Attributes = {} } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );

      expect(done.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
      expect(Attributes).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    } finally {
      await Promise.all(pollers.map((each) => each.stop()));
    }
  });

  it("keeps each group's order, also when a record fails and comes back", async () => {
    const queue = await fifoQueue();
    for (const body of ['a1', 'b1', 'a2', 'a3', 'b2']) await send(queue.url, body.slice(0, 1), body);
    const { bodies, handler } = recordingHandler(
      (r) => r.body === 'a1' && r.attributes.ApproximateReceiveCount === '1',
    );

    poller = await startQueuePoller({ client, queueUrl: queue.url, handler, visibilityTimeout: 1 });
    await poller.drain();

    expect(bodies().filter((b) => b.startsWith('a'))).toEqual(['a1', 'a1', 'a2', 'a3']);
    expect(bodies().filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('deletes the whole batch when the handler returns nothing', async () => {
    const queue = await fifoQueue();
    await send(queue.url, 'g1', 'one');
    await send(queue.url, 'g2', 'two');
    const seen: string[] = [];

    poller = await startQueuePoller({
      client,
      queueUrl: queue.url,
      handler: async (event) => {
        seen.push(...event.Records.map((r) => r.body));
      },
    });
    await poller.drain();

    expect(seen.sort()).toEqual(['one', 'two']);
  });

  it('deletes nothing when the handler throws, so every record comes back', async () => {
    const queue = await fifoQueue();
    await send(queue.url, 'g1', 'one');
    await send(queue.url, 'g2', 'two');
    const attempts: string[] = [];
    let throwOnce = true;

    poller = await startQueuePoller({
      client,
      queueUrl: queue.url,
      visibilityTimeout: 1,
      onError: () => {},
      handler: async (event) => {
        attempts.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        if (throwOnce) {
          throwOnce = false;
          throw new Error('worker crashed');
        }
      },
    });
    await poller.drain();

    expect(attempts.sort()).toEqual(['one#1', 'one#2', 'two#1', 'two#2']);
  });

  it('retries the whole batch when batchItemFailures names a record that is not in it', async () => {
    const queue = await fifoQueue();
    await send(queue.url, 'g1', 'one');
    const errors: unknown[] = [];
    const seen: string[] = [];

    poller = await startQueuePoller({
      client,
      queueUrl: queue.url,
      visibilityTimeout: 1,
      onError: (error) => errors.push(error),
      handler: async (event) => {
        seen.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
        return seen.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } : undefined;
      },
    });
    await poller.drain();

    expect(seen).toEqual(['1', '2']);
    expect(errors).toHaveLength(1);
  });

  it("moves a record that keeps failing to the queue's dead-letter queue after maxReceiveCount", async () => {
    const deadLetters = await fifoQueue();
    const queue = await fifoQueue({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: 2 }),
    });
    await send(queue.url, 'g1', 'poison');
    const { seen, handler } = recordingHandler(() => true);

    poller = await startQueuePoller({ client, queueUrl: queue.url, handler, visibilityTimeout: 1 });
    await poller.drain();

    expect(seen.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: deadLetters.url }));
    expect(Messages.map((m) => m.Body)).toEqual(['poison']);
  });

  it('refuses a batch size a FIFO event source cannot have', async () => {
    const queue = await fifoQueue();

    const starting = startQueuePoller({
      client,
      queueUrl: queue.url,
      handler: async () => {},
      batchSize: 11,
    });

    await expect(starting).rejects.toThrow(RangeError);
  });

  it('cannot drain once stopped', async () => {
    const queue = await fifoQueue();
    const stopped = await startQueuePoller({ client, queueUrl: queue.url, handler: async () => {} });
    await stopped.stop();
    await send(queue.url, 'g1', 'left-behind');

    const draining = stopped.drain({ timeoutMs: 1_000 });

    await expect(draining).rejects.toThrow(/stopped/);
  });
  it('receives nothing in the background while paused, yet drains on demand and polls again once resumed', async () => {
    // prepare
    const queue = await fifoQueue();
    const { handler, bodies } = recordingHandler();
    poller = await startQueuePoller({ client, queueUrl: queue.url, handler, waitTimeSeconds: 1 });
    await poller.pause();

    // act
    await send(queue.url, '+13055550100', 'while-paused');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const untouched = bodies();
    await poller.drain();
    const drained = bodies();
    poller.resume();
    await send(queue.url, '+13055550100', 'after-resume');
    for (let i = 0; i < 100 && bodies().length < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));

    // assess
    expect(untouched).toEqual([]);
    expect(drained).toEqual(['while-paused']);
    expect(bodies()).toEqual(['while-paused', 'after-resume']);
  });
});
