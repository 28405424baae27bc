/**
 * The send worker: the SQS FIFO send queue's Lambda. Each record names a message; the use case
 * re-runs the gate with fresh reads and is the only code that calls Twilio.
 * AWS entry point: the composition root binds it to production `Deps`.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sendQueueMessage } from '../../adapters/sqs/send-queue';
import type { Deps } from '../../usecases/deps';
import { NUMBER_LOOKUP_FAILED } from '../../usecases/number-check';
import { RetryableSendError, sendMessage, type SendMessageOptions } from '../../usecases/send-message';

export type SendWorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const logger = new Logger({ serviceName: 'consentline-send-worker' });

/**
 * Handles a batch, the records of each recipient in order and the recipients side by side, and
 * reports partial failures. A record fails when its body is not a send-queue message (it goes to
 * the DLQ after the queue's retries), when the message should be retried (Twilio 5xx/429, caps
 * contention) or when a store fails. The FIFO processor then fails every later record of the
 * same message group (= recipient phone), so no text overtakes an earlier one to the same
 * recipient, while other recipients' records in the batch go on: without `skipGroupOnError` one
 * failing recipient would send the whole rest of the batch back, spending a receive attempt of
 * every other recipient toward the dead-letter queue
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/#fifo-queues).
 * Failed records come back after the visibility timeout. Recipients of one agent claim side by
 * side on the agent's counters item, as concurrent invocations always could: a claim DynamoDB
 * refuses to interleave is tried again inside the cap store.
 *
 * @example
 * const worker = createSendWorkerHandler(deps);
 * const { batchItemFailures } = await worker(sqsEvent, context);
 */
export function createSendWorkerHandler(deps: Deps, options: SendMessageOptions = {}): SendWorkerHandler {
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const { messageId, decided, gate } = sendQueueMessage.parse(JSON.parse(record.body));
    try {
      const result = await sendMessage(deps, messageId, {
        ...options,
        ...(decided === undefined ? {} : { decided }),
        ...(gate === undefined ? {} : { gate }),
      });
      const detail = { messageId, outcome: result.outcome, reason: result.reason };
      // The alarm "Lookup failing for 15 minutes" counts this line (lib/alarms.ts).
      if (result.lookupFailure !== undefined) {
        logger.warn(NUMBER_LOOKUP_FAILED, { messageId, lookupFailure: result.lookupFailure });
      }
      if (result.answerNotSaved !== undefined)
        logger.warn('Lookup answer not cached', { messageId, error: result.answerNotSaved });
      if (result.outcome === 'needs_review') logger.warn('message needs review', detail);
      else logger.debug('message handled', detail);
    } catch (error) {
      if (error instanceof RetryableSendError) {
        logger.info('send will be retried', { messageId, errorCode: error.errorCode, reason: error.message });
      } else {
        logger.error('send failed', { messageId, error: error as Error });
      }
      throw error;
    }
  };

  return async (event, context) => {
    // Recipients are independent, a recipient's texts are not: each message group goes through
    // its own FIFO processor, in order, while the groups go side by side, so one batch of ten
    // recipients waits for the slowest Twilio answer rather than for all ten in a row. A
    // processor keeps per-batch state: one per group and invocation.
    const answers = await Promise.all(
      groupsOf(event.Records).map((records) =>
        processPartialResponse({ Records: records }, handleRecord, new SqsFifoPartialProcessorAsync(), {
          context,
          skipGroupOnError: true,
          throwOnFullBatchFailure: false,
        }),
      ),
    );
    const failed = new Set(
      answers.flatMap((answer) => answer.batchItemFailures.map((failure) => failure.itemIdentifier)),
    );
    return {
      batchItemFailures: event.Records.filter((record) => failed.has(record.messageId)).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    };
  };
}

/** The batch's records by message group (the recipient), each group in queue order. */
function groupsOf(records: SQSRecord[]): SQSRecord[][] {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    groups.set(group, [...(groups.get(group) ?? []), record]);
  }
  return [...groups.values()];
}
