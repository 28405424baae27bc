import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  type ActionAfterCompletion,
} from '@aws-sdk/client-scheduler';
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { localSqsClient } from '../../../../lambdas/local/engines/aws-clients';
import {
  createSchedulerStandIn,
  sqsDelivery,
  type SchedulerStandIn,
  type ScheduleTarget,
} from '../../../../lambdas/local/scheduler';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:send.fifo';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/scheduler';
const START = new Date('2026-11-23T12:00:00Z');
const MINUTE = 60_000;
const floorToMinute = (at: Date) => Math.floor(at.getTime() / MINUTE) * MINUTE;

type Delivery = { input: string | undefined; groupId: string | undefined };

/** A stand-in on 127.0.0.1 with a clock the test moves and a delivery log. */
async function startStandIn(
  deliver?: (target: ScheduleTarget, input: string | undefined) => Promise<void>,
  options: { exact?: boolean; seed?: number; duplicateShare?: number } = {},
) {
  let now = START;
  const clock = { now: () => now };
  const deliveries: Delivery[] = [];
  const standIn: SchedulerStandIn = createSchedulerStandIn({
    clock,
    // Exact fires for the tests of everything else; the minute's spread has its own tests.
    exact: options.exact ?? true,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.duplicateShare === undefined ? {} : { duplicateShare: options.duplicateShare }),
    deliver:
      deliver ??
      (async (target, input) => {
        deliveries.push({ input, groupId: target.SqsParameters?.MessageGroupId });
      }),
  });
  const { endpoint, close } = await standIn.listen();
  const client = new SchedulerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const schedule = (name: string, at: string, action: ActionAfterCompletion = 'DELETE') =>
    client.send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: 'releases',
        ScheduleExpression: `at(${at})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: action,
        Target: {
          Arn: QUEUE_ARN,
          RoleArn: ROLE_ARN,
          Input: name,
          SqsParameters: { MessageGroupId: `group-${name}` },
        },
      }),
    );
  return {
    standIn,
    client,
    deliveries,
    schedule,
    advanceBy: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    stop: async () => {
      client.destroy();
      await close();
    },
  };
}

let harness: Awaited<ReturnType<typeof startStandIn>>;
afterEach(async () => harness.stop());

describe('createSchedulerStandIn', () => {
  it('fires anywhere inside the minute of at(), so an at() with seconds may fire before them', async () => {
    harness = await startStandIn(undefined, { exact: false, seed: 7 });
    // 40 minutes, one schedule each at 30 s past: some minutes fire before their at(), some after.
    for (let i = 0; i < 40; i++) {
      const minute = new Date(START.getTime() + i * MINUTE).toISOString().slice(0, 16);
      await harness.schedule(`s${i}`, `${minute}:30`);
    }

    const schedules = harness.standIn.list();

    expect(schedules.every((s) => s.fireAt.getTime() - floorToMinute(s.at) < MINUTE)).toBe(true);
    expect(schedules.every((s) => s.fireAt.getTime() >= floorToMinute(s.at))).toBe(true);
    expect(schedules.some((s) => s.fireAt.getTime() < s.at.getTime())).toBe(true);
    expect(schedules.some((s) => s.fireAt.getTime() > s.at.getTime())).toBe(true);
  });

  it("fires a minute's schedules together, in an order that is not the order they were booked in", async () => {
    const booked = Array.from({ length: 30 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    harness = await startStandIn(undefined, { exact: false, seed: 11 });
    for (const name of booked) await harness.schedule(name, '2026-11-23T12:05:00');

    expect(new Set(harness.standIn.list().map((s) => s.fireAt.getTime())).size).toBe(1);
    harness.advanceBy(10 * MINUTE);
    await harness.standIn.fireDue();

    const fired = harness.deliveries.map((delivery) => delivery.input);
    expect([...fired].sort()).toEqual(booked);
    expect(fired).not.toEqual(booked);
  });

  it('delivers some schedules twice when given a duplicate share', async () => {
    harness = await startStandIn(undefined, { duplicateShare: 0.5, seed: 3 });
    for (let i = 0; i < 20; i++) await harness.schedule(`d${i}`, '2026-11-23T12:01:00');

    harness.advanceBy(5 * MINUTE);
    await harness.standIn.fireDue();

    expect(harness.deliveries.length).toBe(20 + harness.standIn.duplicateFires());
    expect(harness.standIn.duplicateFires()).toBeGreaterThan(0);
  });

  it('fires only the schedules that are due, earliest first, and deletes them', async () => {
    harness = await startStandIn();
    await harness.schedule('ten', '2026-11-23T12:10:00');
    await harness.schedule('five', '2026-11-23T12:05:00');
    await harness.schedule('twenty', '2026-11-23T12:20:00');

    harness.advanceBy(15 * MINUTE);
    const fired = await harness.standIn.fireDue();

    expect(fired).toBe(2);
    expect(harness.deliveries).toEqual([
      { input: 'five', groupId: 'group-five' },
      { input: 'ten', groupId: 'group-ten' },
    ]);
    expect(harness.standIn.list().map((s) => s.name)).toEqual(['twenty']);
  });

  it('fires a schedule at exactly its time and not a moment before', async () => {
    harness = await startStandIn();
    await harness.schedule('on-time', '2026-11-23T12:05:00');

    harness.advanceBy(5 * MINUTE - 1);
    const early = await harness.standIn.fireDue();
    harness.advanceBy(1);
    const onTime = await harness.standIn.fireDue();

    expect([early, onTime]).toEqual([0, 1]);
  });

  it('delivers the next schedule twice when told to duplicate a fire', async () => {
    harness = await startStandIn();
    await harness.schedule('first', '2026-11-23T12:01:00');
    await harness.schedule('second', '2026-11-23T12:02:00');
    harness.standIn.duplicateNextFire(1);

    harness.advanceBy(5 * MINUTE);
    await harness.standIn.fireDue();

    expect(harness.deliveries.map((d) => d.input)).toEqual(['first', 'first', 'second']);
  });

  it('fires late when told to delay fires', async () => {
    harness = await startStandIn();
    await harness.schedule('late', '2026-11-23T12:05:00');
    harness.standIn.delayFires(2 * MINUTE);

    harness.advanceBy(6 * MINUTE);
    const beforeDelay = await harness.standIn.fireDue();
    harness.advanceBy(MINUTE);
    const afterDelay = await harness.standIn.fireDue();

    expect([beforeDelay, afterDelay]).toEqual([0, 1]);
  });

  it('keeps a schedule whose delivery failed and retries it on the next call', async () => {
    let failuresLeft = 1;
    const inputs: (string | undefined)[] = [];
    harness = await startStandIn(async (_target, input) => {
      if (failuresLeft-- > 0) throw new Error('queue unreachable');
      inputs.push(input);
    });
    await harness.schedule('flaky', '2026-11-23T12:01:00');
    harness.advanceBy(MINUTE);

    const firstTry = await harness.standIn.fireDue();
    const afterFailure = harness.standIn.list();
    const retry = await harness.standIn.fireDue();

    expect(firstTry).toBe(0);
    expect(afterFailure).toMatchObject([
      { name: 'flaky', failedAttempts: 1, lastError: 'queue unreachable' },
    ]);
    expect(retry).toBe(1);
    expect(inputs).toEqual(['flaky']);
  });

  it('keeps a fired schedule without ActionAfterCompletion DELETE but never fires it again', async () => {
    harness = await startStandIn();
    await harness.schedule('kept', '2026-11-23T12:01:00', 'NONE');
    harness.advanceBy(MINUTE);

    const fired = [await harness.standIn.fireDue(), await harness.standIn.fireDue()];

    expect(fired).toEqual([1, 0]);
    expect(harness.standIn.list()).toMatchObject([
      { name: 'kept', firedAt: new Date(START.getTime() + MINUTE) },
    ]);
  });

  it('fires a schedule once even when fireDue is called twice at the same time', async () => {
    harness = await startStandIn();
    await harness.schedule('once', '2026-11-23T12:01:00');
    harness.advanceBy(MINUTE);

    const fired = await Promise.all([harness.standIn.fireDue(), harness.standIn.fireDue()]);

    expect(fired.sort()).toEqual([0, 1]);
    expect(harness.deliveries).toHaveLength(1);
  });
});

describe('scheduler stand-in API', () => {
  it('answers a second create of the same name with a ConflictException the SDK recognises', async () => {
    harness = await startStandIn();
    await harness.schedule('dup', '2026-11-23T12:01:00');

    const second = harness.schedule('dup', '2026-11-23T12:01:00');

    await expect(second).rejects.toBeInstanceOf(ConflictException);
    await expect(second).rejects.toMatchObject({ $metadata: { httpStatusCode: 409 } });
  });

  it('answers a retry carrying the same ClientToken with the schedule it created', async () => {
    harness = await startStandIn();
    const request = new CreateScheduleCommand({
      Name: 'retried',
      ClientToken: 'token-1',
      ScheduleExpression: 'at(2026-11-23T12:01:00)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, SqsParameters: { MessageGroupId: 'g' } },
    });

    const first = await harness.client.send(request);
    const retry = await harness.client.send(request);

    expect(retry.ScheduleArn).toBe(first.ScheduleArn);
    expect(harness.standIn.list()).toHaveLength(1);
  });

  it('returns a schedule by name and group, and ResourceNotFoundException once it is deleted', async () => {
    harness = await startStandIn();
    await harness.schedule('gone', '2026-11-23T12:01:00');

    const found = await harness.client.send(new GetScheduleCommand({ Name: 'gone', GroupName: 'releases' }));
    await harness.client.send(new DeleteScheduleCommand({ Name: 'gone', GroupName: 'releases' }));
    const afterDelete = harness.client.send(new GetScheduleCommand({ Name: 'gone', GroupName: 'releases' }));

    expect(found).toMatchObject({
      Name: 'gone',
      GroupName: 'releases',
      State: 'ENABLED',
      CreationDate: START,
    });
    await expect(afterDelete).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('looks a schedule up in its own group only', async () => {
    harness = await startStandIn();
    await harness.schedule('grouped', '2026-11-23T12:01:00');

    const elsewhere = harness.client.send(new GetScheduleCommand({ Name: 'grouped', GroupName: 'other' }));

    await expect(elsewhere).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it.each([
    ['a recurring expression', 'rate(5 minutes)'],
    ['a date that does not exist', 'at(2026-02-30T12:00:00)'],
    ['fractions of a second', 'at(2026-11-23T12:00:00.5)'],
  ])('refuses %s', async (_case, expression) => {
    harness = await startStandIn();

    const attempt = harness.client.send(
      new CreateScheduleCommand({
        Name: 'bad-expression',
        ScheduleExpression: expression,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, SqsParameters: { MessageGroupId: 'g' } },
      }),
    );

    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses a FIFO queue target without a message group', async () => {
    harness = await startStandIn();

    const attempt = harness.client.send(
      new CreateScheduleCommand({
        Name: 'no-group',
        ScheduleExpression: 'at(2026-11-23T12:01:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, Input: '{}' },
      }),
    );

    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('sqsDelivery', () => {
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(() => {
    const endpoint = process.env.SQS_ENDPOINT;
    if (endpoint === undefined)
      throw new Error('SQS_ENDPOINT is not set: the jest globalSetup starts fauxqs');
    sqs = localSqsClient(endpoint);
  });

  afterAll(() => sqs.destroy());

  async function fifoQueue(contentBasedDeduplication: boolean): Promise<string> {
    const name = `release-${randomUUID()}.fifo`;
    const { QueueUrl = '' } = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: String(contentBasedDeduplication) },
      }),
    );
    queueUrl = QueueUrl;
    return `arn:aws:sqs:us-east-1:000000000000:${name}`;
  }

  async function drainQueue(): Promise<Message[]> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    return Messages;
  }

  afterEach(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  });

  function releaseTarget(arn: string): ScheduleTarget {
    return {
      Arn: arn,
      RoleArn: ROLE_ARN,
      Input: '{"messageId":"m-1"}',
      SqsParameters: { MessageGroupId: '+13055550100' },
    };
  }

  it('sends the Input to the target queue in the message group, once even when the schedule fires twice', async () => {
    const arn = await fifoQueue(true);
    const deliver = sqsDelivery(sqs);

    await deliver(releaseTarget(arn), '{"messageId":"m-1"}');
    await deliver(releaseTarget(arn), '{"messageId":"m-1"}');

    const messages = await drainQueue();
    expect(messages.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([
      ['{"messageId":"m-1"}', '+13055550100'],
    ]);
  });

  it('fails, as Scheduler does, on a FIFO queue without content-based deduplication', async () => {
    const arn = await fifoQueue(false);

    const delivery = sqsDelivery(sqs)(releaseTarget(arn), '{"messageId":"m-1"}');

    await expect(delivery).rejects.toThrow(/ContentBasedDeduplication/);
  });
});
