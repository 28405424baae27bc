import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
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
  /**
   * Records a batch did not delete come back at once (their visibility set to 0) instead of
   * after the visibility timeout: under a stopped test clock, a retry after the timeout comes at
   * the same simulated instant, so the real seconds waited are all the timeout would add. A
   * visibility of 0 makes a message visible at once, and a FIFO queue keeps the rest of its
   * group back until then, so the order per recipient is kept.
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
   */
  retryFailedAtOnce?: boolean;
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
  /** The queue it polls, for {@link drainQueues}. */
  readonly queue: { client: SQSClient; queueUrl: string };
  /** True while a received batch is being handled or deleted. */
  isHandling(): boolean;
  /** Resolves at the poller's next step: a receive answered (empty or not), or a batch done. */
  nextActivity(): Promise<void>;
  /**
   * While paused and no batch is in hand: one short receive of its own and the handling of what
   * it got (how many records), for a drain; undefined otherwise.
   */
  receiveWhilePaused(): Promise<number> | undefined;
}

// fauxqs wakes a waiting receive when a hidden or delayed record comes back; should an engine
// not, a drain left with only those looks again this often.
const HIDDEN_RECHECK_MS = 250;
// A drain of paused pollers receives for them; with nothing received, it tries again this often.
const PAUSED_RECHECK_MS = 25;
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
  let activity = signal();
  const announce = () => {
    activity.fire();
    activity = signal();
  };

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
      const succeeded = await invoke(records);
      await deleteSucceeded(records, succeeded);
      if (opts.retryFailedAtOnce === true)
        await showAgain(records.filter((record) => !succeeded.includes(record)));
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

  async function showAgain(failed: SQSRecord[]): Promise<void> {
    if (failed.length === 0) return;
    const { Failed } = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: failed.map((record, index) => ({
          Id: String(index),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
    if (Failed !== undefined && Failed.length > 0)
      onError(new Error(`visibility change failed: ${JSON.stringify(Failed)}`));
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
      announce();
    }
    announce();
  })();

  const poller: QueuePoller = {
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

    receiveWhilePaused() {
      if (paused === undefined || handling) return undefined;
      const received = pollOnce(0).finally(announce);
      receiving = received;
      return received;
    },
    drain: (options) => drainQueues([poller], options),
    queue: { client, queueUrl },
    isHandling: () => {
      if (stopping.signal.aborted)
        throw new Error(`queue poller for ${queueUrl} is stopped; nothing will drain it`);
      return handling;
    },
    nextActivity: () => activity.promise,
  };
  return poller;
}

/**
 * Resolves once every queue of `pollers` holds nothing (ready, in flight or delayed) and none of
 * them is handling a batch. It looks at a queue only when no poller has a batch in hand, and
 * then waits for a poller's next step rather than on a timer, unless all that is left is hidden
 * or delayed. Rejects after `timeoutMs` (e.g. a record that keeps failing with no dead-letter
 * queue to move it to) or when a poller is stopped.
 */
export async function drainQueues(
  pollers: readonly QueuePoller[],
  { timeoutMs = DEFAULT_DRAIN_TIMEOUT_MS } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const queues = [...new Map(pollers.map((poller) => [poller.queue.queueUrl, poller.queue])).values()];
  for (;;) {
    const next = Promise.race(pollers.map((poller) => poller.nextActivity()));
    let onlyHidden = false;
    if (!pollers.some((poller) => poller.isHandling())) {
      const counts = await Promise.all(queues.map((queue) => queueCounts(queue)));
      // Looked at again: a poller may have received meanwhile (the record is then in flight).
      if (!pollers.some((poller) => poller.isHandling())) {
        if (counts.every((count) => count.ready + count.hidden === 0)) return;
        onlyHidden = counts.every((count) => count.ready === 0);
      }
    }
    const left = deadline - Date.now();
    if (left < 0) {
      const urls = queues.map((queue) => queue.queueUrl).join(', ');
      throw new Error(`queue ${urls} did not drain within ${timeoutMs} ms`);
    }
    // A paused poller receives nothing in the background: the drain has it receive (short polls).
    const own = pollers.flatMap((poller) => poller.receiveWhilePaused() ?? []);
    if (own.length > 0) {
      if ((await Promise.all(own)).some((count) => count > 0)) continue;
      // Only hidden records left: nothing to receive until their visibility ends.
      await sleep(Math.min(left + 1, onlyHidden ? HIDDEN_RECHECK_MS : PAUSED_RECHECK_MS));
      continue;
    }
    await within(next, Math.min(left + 1, onlyHidden ? HIDDEN_RECHECK_MS : left + 1));
  }
}

/** Waits for `promise`, or `ms` at most. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

async function queueCounts(queue: { client: SQSClient; queueUrl: string }) {
  const { Attributes = {} } = await queue.client.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.queueUrl, AttributeNames: [...EMPTY_QUEUE_COUNTS] }),
  );
  const count = (name: (typeof EMPTY_QUEUE_COUNTS)[number]) => Number(Attributes[name] ?? '0');
  return {
    ready: count('ApproximateNumberOfMessages'),
    hidden: count('ApproximateNumberOfMessagesNotVisible') + count('ApproximateNumberOfMessagesDelayed'),
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
