import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sendQueueMessage, sqsSendQueue } from '../../../../lambdas/adapters/sqs/send-queue';
import { localSqsClient } from '../../../../lambdas/local/engines/aws-clients';

const endpoint = process.env.SQS_ENDPOINT;
let client: SQSClient;
let queueUrl: string;

beforeAll(() => {
  if (endpoint === undefined) throw new Error('SQS_ENDPOINT is not set: the jest globalSetup starts fauxqs');
  client = localSqsClient(endpoint);
});

afterAll(() => client.destroy());

beforeEach(async () => {
  const created = await client.send(
    new CreateQueueCommand({ QueueName: `send-${randomUUID()}.fifo`, Attributes: { FifoQueue: 'true' } }),
  );
  queueUrl = created.QueueUrl ?? '';
});

afterEach(async () => {
  await client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

async function receive(max = 10): Promise<Message[]> {
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
    }),
  );
  return Messages;
}

async function consume(message: Message): Promise<void> {
  await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
}

/** Receives and deletes until the queue is empty; returns the bodies in the order received. */
async function receiveAll(): Promise<{ messageId: string; dedupSuffix?: string; phone?: string }[]> {
  const seen = [];
  for (let batch = await receive(); batch.length > 0; batch = await receive()) {
    for (const message of batch) {
      seen.push({
        ...sendQueueMessage.parse(JSON.parse(message.Body ?? '')),
        phone: message.Attributes?.MessageGroupId,
      });
      await consume(message);
    }
  }
  return seen;
}

describe('sqsSendQueue', () => {
  it('puts the message id in the body, the phone in the group and the id in the deduplication id', async () => {
    const queue = sqsSendQueue({ client, queueUrl });

    await queue.enqueue({ messageId: 'msg-1', phone: '+13055550100' });

    const [message] = await receive();
    expect(JSON.parse(message?.Body ?? '')).toEqual({ messageId: 'msg-1' });
    expect(message?.Attributes).toMatchObject({
      MessageGroupId: '+13055550100',
      MessageDeduplicationId: 'msg-1',
    });
  });

  it("carries the message's gate key, its own fields only, for the worker to read the gate's inputs beside it", async () => {
    const queue = sqsSendQueue({ client, queueUrl });
    const step = {
      messageId: 'msg-gate',
      agentId: 'agt_1',
      phone: '+13055550100',
      kind: 'drip' as const,
      purpose: 'automated' as const,
      body: 'Hi Maria, how is everything?',
    };

    await queue.enqueue({ messageId: step.messageId, phone: step.phone, gate: step });

    const [message] = await receive();
    const body = sendQueueMessage.parse(JSON.parse(message?.Body ?? ''));
    expect(body).toEqual({
      messageId: 'msg-gate',
      gate: {
        messageId: 'msg-gate',
        agentId: 'agt_1',
        phone: '+13055550100',
        kind: 'drip',
        purpose: 'automated',
      },
    });
  });

  it('delivers a message enqueued twice with the same id once', async () => {
    const queue = sqsSendQueue({ client, queueUrl });

    await queue.enqueue({ messageId: 'msg-twice', phone: '+13055550100' });
    await queue.enqueue({ messageId: 'msg-twice', phone: '+13055550100' });

    expect(await receiveAll()).toEqual([{ messageId: 'msg-twice', phone: '+13055550100' }]);
  });

  it('delivers the same message again when the second enqueue carries a new suffix', async () => {
    const queue = sqsSendQueue({ client, queueUrl });

    await queue.enqueue({ messageId: 'msg-held', phone: '+13055550100' });
    await queue.enqueue({
      messageId: 'msg-held',
      phone: '+13055550100',
      dedupSuffix: '2026-11-24T13:00:00.000Z',
    });

    expect(await receiveAll()).toEqual([
      { messageId: 'msg-held', phone: '+13055550100' },
      { messageId: 'msg-held', phone: '+13055550100', dedupSuffix: '2026-11-24T13:00:00.000Z' },
    ]);
  });

  it("keeps one phone's order while another phone's texts go between them", async () => {
    const queue = sqsSendQueue({ client, queueUrl });
    const alice = '+13055550101';
    const bob = '+13055550102';
    for (const [messageId, phone] of [
      ['a1', alice],
      ['b1', bob],
      ['a2', alice],
      ['b2', bob],
      ['a3', alice],
    ] as const) {
      await queue.enqueue({ messageId, phone });
    }

    const received = await receiveAll();

    expect(received.filter((m) => m.phone === alice).map((m) => m.messageId)).toEqual(['a1', 'a2', 'a3']);
    expect(received.filter((m) => m.phone === bob).map((m) => m.messageId)).toEqual(['b1', 'b2']);
  });

  it("does not let one phone's unfinished text hold up another phone", async () => {
    const queue = sqsSendQueue({ client, queueUrl });
    await queue.enqueue({ messageId: 'a1', phone: '+13055550101' });
    await queue.enqueue({ messageId: 'a2', phone: '+13055550101' });
    await queue.enqueue({ messageId: 'b1', phone: '+13055550102' });

    const [inFlight] = await receive(1);
    const [next] = await receive(1);

    expect(JSON.parse(inFlight?.Body ?? '')).toEqual({ messageId: 'a1' });
    expect(JSON.parse(next?.Body ?? '')).toEqual({ messageId: 'b1' });
  });

  describe('enqueueAll', () => {
    it('puts 23 messages on in batches of at most 10, as enqueue would put each, each phone in order', async () => {
      const queue = sqsSendQueue({ client, queueUrl });
      const requests: number[] = [];
      const counted = sqsSendQueue({
        client: {
          send: (command: { input: { Entries?: unknown[] } }) => {
            requests.push(command.input.Entries?.length ?? 1);
            return client.send(command as never);
          },
        } as unknown as SQSClient,
        queueUrl,
      });
      const messages = Array.from({ length: 23 }, (_, i) => ({
        messageId: `msg-${String(i).padStart(2, '0')}`,
        phone: `+1305555010${i % 3}`,
      }));

      const refused = await counted.enqueueAll(messages);
      await queue.enqueue({ messageId: 'msg-00', phone: '+13055550100' });

      expect(refused).toEqual([]);
      expect(requests).toEqual([10, 10, 3]);
      const received = await receiveAll();
      // The single enqueue of msg-00 after the batch is a duplicate FIFO drops, as for two enqueues.
      expect(received).toHaveLength(23);
      for (const phone of new Set(messages.map((message) => message.phone))) {
        expect(received.filter((m) => m.phone === phone).map((m) => m.messageId)).toEqual(
          messages.filter((m) => m.phone === phone).map((m) => m.messageId),
        );
      }
    });

    it('makes no request for no messages', async () => {
      let requests = 0;
      const counted = sqsSendQueue({
        client: { send: () => Promise.resolve((requests += 1)) } as unknown as SQSClient,
        queueUrl,
      });

      expect(await counted.enqueueAll([])).toEqual([]);
      expect(requests).toBe(0);
    });

    it('reports every message of a batch the queue refused, by id, and puts on the other batches', async () => {
      const refusing = sqsSendQueue({
        client: {
          send: (command: { input: { Entries?: { MessageDeduplicationId?: string }[] } }) =>
            command.input.Entries?.some((entry) => entry.MessageDeduplicationId === 'msg-12')
              ? Promise.reject(new Error('queue unavailable'))
              : client.send(command as never),
        } as unknown as SQSClient,
        queueUrl,
      });
      const messages = Array.from({ length: 15 }, (_, i) => ({
        messageId: `msg-${i}`,
        phone: '+13055550100',
      }));

      const refused = await refusing.enqueueAll(messages);

      expect(refused.map((entry) => entry.messageId)).toEqual(messages.slice(10).map((m) => m.messageId));
      expect(refused[0]?.error).toBe('queue unavailable');
      expect((await receiveAll()).map((m) => m.messageId)).toEqual(
        messages.slice(0, 10).map((m) => m.messageId),
      );
    });
  });
});
