import type { QueuedSend, SendQueue } from '../../ports';

/**
 * A send queue from a single-message `enqueue`: `enqueueAll` sends one at a time and reports
 * each one refused. For queues without a batch call (the tests' recording queues).
 */
export function queueOneByOne(enqueue: (message: QueuedSend) => Promise<void>): SendQueue {
  return {
    enqueue,
    async enqueueAll(messages) {
      const refused: { messageId: string; error: string }[] = [];
      for (const message of messages) {
        try {
          await enqueue(message);
        } catch (error) {
          refused.push({
            messageId: message.messageId,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      return refused;
    },
  };
}
