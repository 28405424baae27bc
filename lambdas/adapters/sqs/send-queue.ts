import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { DecidedSend, GateKey, QueuedSend, SendQueue } from '../../ports';

/**
 * The body of a send-queue message, whoever put it there: `enqueue` below, or a release
 * schedule (whose Input carries the release instant as `dedupSuffix`). The worker parses it
 * with this schema; without `decided` it reads everything else from the stores.
 */
export const sendQueueMessage = z.object({
  messageId: z.string().min(1),
  dedupSuffix: z.string().min(1).optional(),
  // What the gate's reads are keyed by, so the worker reads them beside the message; it reads
  // them again should the message it finds not match.
  gate: z
    .object({
      messageId: z.string().min(1),
      agentId: z.string().min(1),
      phone: z.string().min(1),
      kind: z.string().min(1),
      purpose: z.string().min(1),
    })
    .transform((gate) => gate as GateKey)
    .optional(),
  // The API's reads, written by our own functions only (the queue's policy): checked for shape
  // here, and the worker's send claim proves each one still stands before it acts on them.
  decided: z
    .object({
      readAt: z.iso.datetime(),
      message: z.looseObject({ messageId: z.string().min(1), status: z.string() }),
      keyed: z.looseObject({ agentSendsToday: z.number() }),
      consent: z
        .looseObject({ ledger: z.array(z.unknown()), optOuts: z.array(z.unknown()), numbers: z.unknown() })
        .optional(),
    })
    .transform((decided) => decided as unknown as DecidedSend)
    .optional(),
});
export type SendQueueMessage = z.infer<typeof sendQueueMessage>;

// SQS takes a body of up to 256 KiB, counted in UTF-8 bytes; a send whose reads would take more
// than half of it goes without them (the worker reads).
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
const MAX_DECIDED_BYTES = 128 * 1024;

/**
 * Receives before a send is parked on the dead-letter queue: the stack's redrive policy and the
 * local runtime's queue both read it from here.
 */
export const SEND_QUEUE_MAX_RECEIVES = 5;

/** Where the FIFO send queue is and the client to reach it with. */
export type SqsSendQueueOptions = {
  client: SQSClient;
  /** URL of the `.fifo` queue. */
  queueUrl: string;
};

/**
 * The send queue on SQS FIFO. The recipient's phone is the message group, so texts to one
 * phone leave in order while different phones proceed in parallel; the message id is the
 * deduplication id, so an enqueue repeated within SQS's 5-minute window is delivered once.
 *
 * @example
 * const queue = sqsSendQueue({ client: new SQSClient({}), queueUrl: process.env.SEND_QUEUE_URL });
 * await queue.enqueue({ messageId, phone });
 * // a second, deliberate attempt of the same message needs a suffix or FIFO drops it:
 * await queue.enqueue({ messageId, phone, dedupSuffix: releaseAt });
 */
export function sqsSendQueue({ client, queueUrl }: SqsSendQueueOptions): SendQueue {
  return {
    async enqueue(message) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, ...entryOf(message) }));
    },
    async enqueueAll(messages) {
      const refused: { messageId: string; error: string }[] = [];
      for (const batch of batchesOf(messages.map((message) => ({ message, entry: entryOf(message) })))) {
        try {
          const { Failed } = await client.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map(({ entry }, index) => ({ Id: String(index), ...entry })),
            }),
          );
          for (const failure of Failed ?? []) {
            const messageId = batch[Number(failure.Id)]?.message.messageId ?? failure.Id ?? '';
            refused.push({ messageId, error: `${failure.Code ?? 'refused'}: ${failure.Message ?? ''}` });
          }
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          for (const { message } of batch) refused.push({ messageId: message.messageId, error: text });
        }
      }
      return refused;
    },
  };
}

type Entry = { MessageBody: string; MessageGroupId: string; MessageDeduplicationId: string };

function entryOf({ messageId, phone, dedupSuffix, decided, gate }: QueuedSend): Entry {
  const body: SendQueueMessage = {
    messageId,
    ...(dedupSuffix === undefined ? {} : { dedupSuffix }),
    ...(gate === undefined ? {} : { gate }),
  };
  const withDecided = decided === undefined ? undefined : JSON.stringify({ ...body, decided });
  const text =
    withDecided !== undefined && Buffer.byteLength(withDecided) <= MAX_DECIDED_BYTES
      ? withDecided
      : JSON.stringify(body);
  return {
    MessageBody: text,
    MessageGroupId: phone,
    MessageDeduplicationId: deduplicationId(messageId, dedupSuffix),
  };
}

// A batch takes 1 to 10 messages (none at all is refused: EmptyBatchRequest, so no messages send
// no request), their bodies together counting against one message's limit, here the 256 KiB the
// bodies above keep to: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
// The local queue (fauxqs) refuses the same: TooManyEntriesInBatchRequest, BatchRequestTooLong.
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 256 * 1024;

function batchesOf<T extends { entry: Entry }>(entries: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of entries) {
    const size = Buffer.byteLength(item.entry.MessageBody);
    if (current.length === BATCH_ENTRIES || (current.length > 0 && bytes + size > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

// SQS caps MessageDeduplicationId at 128 characters of [!-~]; a message id and an ISO instant
// stay far below that.
function deduplicationId(messageId: string, dedupSuffix: string | undefined): string {
  return dedupSuffix === undefined ? messageId : `${messageId}#${dedupSuffix}`;
}
