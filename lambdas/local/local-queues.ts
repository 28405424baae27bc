import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SEND_QUEUE_MAX_RECEIVES } from '../adapters/sqs/send-queue';

export type LocalQueues = {
  queueUrl: string;
  queueArn: string;
  deadLetterUrl: string;
  deadLetterArn: string;
};

/**
 * The send queue as the stack defines it: FIFO, content-based deduplication (EventBridge
 * Scheduler's FIFO targets send no deduplication id), redrive to a FIFO dead-letter queue.
 */
export async function createLocalQueues(client: SQSClient, name = 'consentline-send'): Promise<LocalQueues> {
  const deadLetter = await client.send(
    new CreateQueueCommand({ QueueName: `${name}-dlq.fifo`, Attributes: { FifoQueue: 'true' } }),
  );
  const deadLetterUrl = deadLetter.QueueUrl!;
  const deadLetterArn = await queueArn(client, deadLetterUrl);
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: `${name}.fifo`,
      Attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'true',
        VisibilityTimeout: '30',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterArn,
          maxReceiveCount: SEND_QUEUE_MAX_RECEIVES,
        }),
      },
    }),
  );
  const queueUrl = queue.QueueUrl!;
  return { queueUrl, queueArn: await queueArn(client, queueUrl), deadLetterUrl, deadLetterArn };
}

/** The SMS fallback queue as the stack defines it: standard, with a dead-letter queue. */
export async function createFallbackQueue(
  client: SQSClient,
  name = 'consentline-sms-fallback',
): Promise<string> {
  const deadLetter = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: '30',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(client, deadLetter.QueueUrl!),
          maxReceiveCount: SEND_QUEUE_MAX_RECEIVES,
        }),
      },
    }),
  );
  return queue.QueueUrl!;
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${queueUrl} has no ARN`);
  return arn;
}
