import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConditionalCheckFailedException,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { localDynamoClient, localSqsClient } from '../../../lambdas/local/engines/aws-clients';
import { startDynamoDbLocal } from '../../../lambdas/local/engines/dynamodb-local';
import { freePort, isPortFree } from '../../../lambdas/local/engines/free-port';
import { createKeyTable, dynamoEndpoint, uniquePrefix } from '../../support/dynamo';

const prefix = uniquePrefix();

function sqsEndpoint(): string {
  const endpoint = process.env.SQS_ENDPOINT;
  if (endpoint === undefined) throw new Error('SQS_ENDPOINT is not set: run with `npx jest` (globalSetup).');
  return endpoint;
}

describe('freePort', () => {
  it('returns a port nothing listens on', async () => {
    const port = await freePort();

    const free = await isPortFree(port);

    expect(free).toBe(true);
  });
});

describe('startDynamoDbLocal', () => {
  it('refuses a port that is already taken instead of talking to its holder', async () => {
    const takenPort = Number(new URL(dynamoEndpoint()).port);

    const starting = startDynamoDbLocal({ port: takenPort });

    await expect(starting).rejects.toThrow(`port ${takenPort} is in use`);
  });

  it('keeps tables in dataDir across restarts and frees its port on stop', async () => {
    // prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'consentline-dynamo-'));
    const table = `${prefix}persisted`;
    try {
      const first = await startDynamoDbLocal({ dataDir });
      const firstClient = localDynamoClient(first.endpoint);
      await createKeyTable(firstClient, table);
      firstClient.destroy();
      await first.stop();
      const portFreedOnStop = await isPortFree(first.port);

      // act
      const second = await startDynamoDbLocal({ dataDir });
      const secondClient = localDynamoClient(second.endpoint);
      const listed = await secondClient.send(new ListTablesCommand({}));
      secondClient.destroy();
      await second.stop();

      // assess
      expect(portFreedOnStop).toBe(true);
      expect(existsSync(join(dataDir, 'shared-local-instance.db'))).toBe(true);
      expect(listed.TableNames).toContain(table);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('DynamoDB Local (globalSetup engine)', () => {
  const dynamo = localDynamoClient(dynamoEndpoint());
  const table = `${prefix}engines`;

  beforeAll(async () => {
    await createKeyTable(dynamo, table);
  });

  afterAll(() => {
    dynamo.destroy();
  });

  it('cancels a transaction with reason ConditionalCheckFailed when its condition check fails', async () => {
    // prepare
    const missing = { pk: { S: 'contact#never-written' } };
    const wouldBeWritten = { pk: { S: 'contact#guarded-write' } };

    // act
    const error = await dynamo
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              ConditionCheck: { TableName: table, Key: missing, ConditionExpression: 'attribute_exists(pk)' },
            },
            { Put: { TableName: table, Item: wouldBeWritten } },
          ],
        }),
      )
      .catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code);
    expect(reasons).toEqual(['ConditionalCheckFailed', 'None']);
    const written = await dynamo.send(new GetItemCommand({ TableName: table, Key: wouldBeWritten }));
    expect(written.Item).toBeUndefined();
  });

  it('rejects the second attribute_not_exists put of the same key', async () => {
    // prepare
    const put = new PutItemCommand({
      TableName: table,
      Item: { pk: { S: 'event#once' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    await dynamo.send(put);

    // act
    const second = dynamo.send(put);

    // assess
    await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('accepts UpdateTimeToLive and reports the attribute as enabled', async () => {
    // act
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );

    // assess
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toEqual({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
  });
});

describe('fauxqs (globalSetup engine)', () => {
  const sqs = localSqsClient(sqsEndpoint());
  let queues = 0;

  async function createFifoQueue(attributes: Record<string, string> = {}): Promise<string> {
    queues += 1;
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}q${queues}.fifo`,
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false', ...attributes },
      }),
    );
    if (created.QueueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
    return created.QueueUrl;
  }

  async function send(queueUrl: string, body: string, deduplicationId: string): Promise<string | undefined> {
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageGroupId: 'agent-1#+13055550100',
        MessageDeduplicationId: deduplicationId,
      }),
    );
    return sent.MessageId;
  }

  async function receive(queueUrl: string, options: Partial<ReceiveMessageCommandInput> = {}) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        ...options,
      }),
    );
    return received.Messages ?? [];
  }

  afterAll(() => {
    sqs.destroy();
  });

  it('drops a message whose deduplication id was sent within the last 5 minutes', async () => {
    // prepare
    const queueUrl = await createFifoQueue();
    const firstId = await send(queueUrl, 'first', 'dedup-1');

    // act
    const repeatId = await send(queueUrl, 'repeat', 'dedup-1');

    // assess
    expect(repeatId).toBe(firstId);
    const bodies = (await receive(queueUrl)).map((message) => message.Body);
    expect(bodies).toEqual(['first']);
  });

  it('refuses a FIFO send without a deduplication id when content-based deduplication is off', async () => {
    // prepare
    const queueUrl = await createFifoQueue();

    // act
    const sending = sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'x',
        MessageGroupId: 'agent-1#+13055550100',
      }),
    );

    // assess
    await expect(sending).rejects.toMatchObject({ name: expect.stringContaining('InvalidParameterValue') });
  });

  it('hides a received message for its visibility timeout, then delivers it again', async () => {
    // prepare
    const queueUrl = await createFifoQueue();
    const messageId = await send(queueUrl, 'retry me', 'dedup-1');
    await receive(queueUrl, { VisibilityTimeout: 1 });

    // act
    const whileHidden = await receive(queueUrl);
    await sleep(1_200);
    const afterTimeout = await receive(queueUrl);

    // assess
    expect(whileHidden).toEqual([]);
    expect(afterTimeout.map((message) => message.MessageId)).toEqual([messageId]);
    expect(afterTimeout[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('holds the next message of a group until the one in flight is deleted', async () => {
    // prepare
    const queueUrl = await createFifoQueue();
    await send(queueUrl, 'first', 'dedup-1');
    await send(queueUrl, 'second', 'dedup-2');
    const [inFlight] = await receive(queueUrl, { MaxNumberOfMessages: 1, VisibilityTimeout: 30 });
    const whileInFlight = await receive(queueUrl);

    // act
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: inFlight?.ReceiptHandle }));
    const afterDelete = await receive(queueUrl);

    // assess
    expect(inFlight?.Body).toBe('first');
    expect(whileInFlight).toEqual([]);
    expect(afterDelete.map((message) => message.Body)).toEqual(['second']);
  });

  it('moves a message to the dead-letter queue once it was received maxReceiveCount times', async () => {
    // prepare
    const deadLetterUrl = await createFifoQueue();
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }),
    );
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: 2 });
    const queueUrl = await createFifoQueue({ RedrivePolicy: redrivePolicy });
    await send(queueUrl, 'poison', 'dedup-1');

    // act
    const receipts = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      receipts.push(await receive(queueUrl, { VisibilityTimeout: 0 }));
    }

    // assess
    expect(receipts.map((messages) => messages.length)).toEqual([1, 1, 0]);
    const deadLetters = (await receive(deadLetterUrl)).map((message) => message.Body);
    expect(deadLetters).toEqual(['poison']);
  });
});
