import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { CapturedWebhook, InboundCapture } from '../../ports';

/** A captured webhook as the fallback queue holds it (the processor parses it back). */
export const capturedWebhook = z.object({
  rawPath: z.string().startsWith('/'),
  rawQueryString: z.string(),
  body: z.string(),
  isBase64Encoded: z.boolean(),
  headers: z.record(z.string(), z.string()),
  receivedAt: z.string(),
});

/**
 * An {@link InboundCapture} on a standard SQS queue: one SendMessage, durable once it answers.
 * Standard, not FIFO: order does not matter to the use case (it is idempotent on MessageSid and
 * dates each text by its capture), and a standard queue takes any burst.
 */
export function sqsInboundCapture(options: { client: SQSClient; queueUrl: string }): InboundCapture {
  return {
    async capture(webhook: CapturedWebhook) {
      await options.client.send(
        new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: JSON.stringify(webhook) }),
      );
    },
  };
}
