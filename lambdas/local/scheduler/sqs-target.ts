import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Deliver } from './types';

/**
 * A `deliver` that does what Scheduler's SQS target does: SendMessage with the schedule's Input
 * as the body and its MessageGroupId, and no deduplication id — a FIFO target queue must have
 * content-based deduplication on, exactly as in AWS.
 *
 * @param queueUrlForArn maps a target ARN to its queue URL; by default the queue is looked up by
 *   the name at the end of the ARN.
 */
export function sqsDelivery(
  client: SQSClient,
  queueUrlForArn: (arn: string) => string | Promise<string> = queueUrlsByName(client),
): Deliver {
  return async (target, input) => {
    if (input === undefined) throw new Error(`Schedule target ${target.Arn} has no Input to send.`);
    const groupId = target.SqsParameters?.MessageGroupId;
    await client.send(
      new SendMessageCommand({
        QueueUrl: await queueUrlForArn(target.Arn),
        MessageBody: input,
        ...(groupId === undefined ? {} : { MessageGroupId: groupId }),
      }),
    );
  };
}

/** Looks each target queue up by the name at the end of its ARN, once: a queue's URL never changes. */
function queueUrlsByName(client: SQSClient): (arn: string) => Promise<string> {
  const urls = new Map<string, Promise<string>>();
  return (arn) => {
    let url = urls.get(arn);
    if (url === undefined) {
      url = queueUrlByName(client, arn);
      urls.set(arn, url);
      // A failed look-up is asked again at the next fire.
      url.catch(() => urls.delete(arn));
    }
    return url;
  };
}

async function queueUrlByName(client: SQSClient, arn: string): Promise<string> {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: arn.split(':').at(-1) }));
  if (QueueUrl === undefined) throw new Error(`No queue for ${arn}`);
  return QueueUrl;
}
