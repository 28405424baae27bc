import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** What Lambda's SQS event source mapping would be configured with, plus the queue to poll. */
export type QueuePollerOptions = {
  client: SQSClient;
  queueUrl: string;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Records per invocation; a FIFO event source takes 1-10. */
  batchSize?: number;
  /** Seconds a received batch stays hidden; failed records come back after it. */
  visibilityTimeout?: number;
  /** Long-poll seconds per receive (0-20). */
  waitTimeSeconds?: number;
  /** Told about failed receives, handler throws and failed deletes; defaults to console.error. */
  onError?: (error: unknown) => void;
};

/** A running poller. */
export interface QueuePoller {
  /** Stops receiving and waits for the batch in hand to finish. */
  stop(): Promise<void>;
  /**
   * Resolves once the queue holds nothing (ready, in flight or delayed) and no batch is being
   * handled — so a test can act, drain, then assess. Rejects after `timeoutMs`, e.g. when a
   * record keeps failing and the queue has no dead-letter queue to move it to.
   */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
  /**
   * Stops polling in the background (resolves once no receive is in flight), so a timed
   * request never shares the process with a receive; `drain()` still empties the queue, with
   * short polls of its own. On AWS the consumers run in other Lambdas, not beside the webhook.
   */
  pause(): Promise<void>;
  /** Polls in the background again. */
  resume(): void;
}

const DRAIN_CHECK_MS = 25;
const RECEIVE_FAILURE_BACKOFF_MS = 250;
const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
const EMPTY_QUEUE_COUNTS = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

/**
 * Polls an SQS queue and invokes `handler` the way Lambda's event source mapping does: an
 * `SQSEvent` per batch; then the records not named in `batchItemFailures` are deleted (all of
 * them when the handler returns nothing, none when it throws or names a record that is not in
 * the batch). Records left undeleted reappear after the visibility timeout, and the queue's own
 * RedrivePolicy moves them to the dead-letter queue after `maxReceiveCount` receives — fauxqs
 * implements redrive, so the poller does not.
 *
 * Batches are handled one at a time, so the handler never runs concurrently with itself.
 *
 * @example
 * const poller = await startQueuePoller({ client: sqs, queueUrl, handler: sendWorker });
 * await queue.enqueue({ messageId, phone });
 * await poller.drain();
 * await poller.stop();
 */
export async function startQueuePoller(opts: QueuePollerOptions): Promise<QueuePoller> {
  const { client, queueUrl, handler } = opts;
  const batchSize = opts.batchSize ?? 10;
  const visibilityTimeout = opts.visibilityTimeout ?? 30;
  const waitTimeSeconds = opts.waitTimeSeconds ?? 1;
  const onError = opts.onError ?? ((error: unknown) => console.error('queue poller:', error));
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError(`batchSize must be 1-10 for an SQS FIFO event source, not ${batchSize}`);
  }

  const eventSourceARN = await queueArn(client, queueUrl);
  const awsRegion = eventSourceARN.split(':')[3] ?? 'us-east-1';
  const stopping = new AbortController();
  let handling = false;

  // While paused the loop waits here; `resume()` lets it go on.
  let paused: { resumed: Promise<void>; resume: () => void } | undefined;
  let receiving: Promise<unknown> = Promise.resolve();

  /** One receive and the handling of what it got; how many records that was. */
  async function pollOnce(waitSeconds = waitTimeSeconds): Promise<number> {
    let messages: Message[];
    try {
      const received = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: batchSize,
          VisibilityTimeout: visibilityTimeout,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: stopping.signal },
      );
      messages = received.Messages ?? [];
    } catch (error) {
      if (stopping.signal.aborted) return 0;
      onError(error);
      await sleep(RECEIVE_FAILURE_BACKOFF_MS);
      return 0;
    }
    if (messages.length === 0) return 0;
    // Set before the next await: drain() must never see an empty queue while a batch is in hand.
    handling = true;
    try {
      const records = messages.map((message) => toRecord(message, eventSourceARN, awsRegion));
      await deleteSucceeded(records, await invoke(records));
    } finally {
      handling = false;
    }
    return messages.length;
  }

  /** The records' outcome: which receipt handles may be deleted. */
  async function invoke(records: SQSRecord[]): Promise<SQSRecord[]> {
    let response: SQSBatchResponse | void;
    try {
      response = await handler({ Records: records });
    } catch (error) {
      onError(error);
      return [];
    }
    const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    // Lambda fails the whole batch when a reported identifier is not one of its records.
    const known = new Set(records.map((record) => record.messageId));
    if ([...failed].some((id) => !known.has(id))) {
      onError(new Error(`batchItemFailures names a record not in the batch: ${[...failed].join(', ')}`));
      return [];
    }
    return records.filter((record) => !failed.has(record.messageId));
  }

  async function deleteSucceeded(all: SQSRecord[], succeeded: SQSRecord[]): Promise<void> {
    if (succeeded.length === 0) return;
    const { Failed } = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: succeeded.map((record) => ({
          Id: String(all.indexOf(record)),
          ReceiptHandle: record.receiptHandle,
        })),
      }),
    );
    if (Failed !== undefined && Failed.length > 0)
      onError(new Error(`delete failed: ${JSON.stringify(Failed)}`));
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      if (paused !== undefined) {
        // `stop()` resumes it too.
        await paused.resumed;
        continue;
      }
      try {
        receiving = pollOnce();
        await receiving;
      } catch (error) {
        onError(error);
        await sleep(RECEIVE_FAILURE_BACKOFF_MS);
      }
    }
  })();

  async function isIdle(): Promise<boolean> {
    if (handling) return false;
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...EMPTY_QUEUE_COUNTS] }),
    );
    return !handling && EMPTY_QUEUE_COUNTS.every((name) => Number(Attributes[name] ?? '0') === 0);
  }

  return {
    async stop() {
      stopping.abort();
      paused?.resume();
      await loop;
    },

    async pause() {
      if (paused === undefined) {
        let resume = () => undefined as void;
        const resumed = new Promise<void>((resolve) => (resume = resolve));
        paused = { resumed, resume };
      }
      await receiving.catch(() => undefined);
    },

    resume() {
      const was = paused;
      paused = undefined;
      was?.resume();
    },

    async drain({ timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (!(await isIdle())) {
        if (stopping.signal.aborted)
          throw new Error(`queue poller for ${queueUrl} is stopped; nothing will drain it`);
        if (Date.now() > deadline) throw new Error(`queue ${queueUrl} did not drain within ${timeoutMs} ms`);
        // Paused: nobody polls in the background, so the drain receives itself (short polls).
        if (paused !== undefined && !handling) {
          const received = pollOnce(0);
          receiving = received;
          if ((await received) > 0) continue;
        }
        await sleep(DRAIN_CHECK_MS);
      }
    },
  };
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`SQS returned no QueueArn for ${queueUrl}`);
  return arn;
}

/** The record Lambda would build from an SQS message (attribute names as in the Lambda event). */
function toRecord(message: Message, eventSourceARN: string, awsRegion: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const optional = (
    name: 'SequenceNumber' | 'MessageGroupId' | 'MessageDeduplicationId' | 'AWSTraceHeader',
  ) => (attributes[name] === undefined ? {} : { [name]: attributes[name] });
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
      ...optional('SequenceNumber'),
      ...optional('MessageGroupId'),
      ...optional('MessageDeduplicationId'),
      ...optional('AWSTraceHeader'),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
          ...(value.BinaryValue === undefined
            ? {}
            : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
}
