import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import fc from 'fast-check';
import {
  eventBridgeReleaseScheduler,
  releaseExpression,
  releaseScheduleName,
} from '../../../../lambdas/adapters/scheduler/release-scheduler';
import { createSchedulerStandIn } from '../../../../lambdas/local/scheduler';

/** Where the adapter books releases: the schedule group, the send queue, its role and dead-letter queue. */
const booking = {
  groupName: 'consentline-releases',
  targetArn: 'arn:aws:sqs:us-east-1:000000000000:send.fifo',
  roleArn: 'arn:aws:iam::000000000000:role/scheduler-to-send-queue',
  deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:release-dlq',
};

const standIn = createSchedulerStandIn({
  clock: { now: () => new Date('2026-11-23T12:00:00Z') },
  deliver: async () => {},
});
let close: () => Promise<void>;
let client: SchedulerClient;

beforeAll(async () => {
  const served = await standIn.listen();
  close = served.close;
  client = new SchedulerClient({
    endpoint: served.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await close();
});

function releaseScheduler(groupName = booking.groupName) {
  return eventBridgeReleaseScheduler({ client, ...booking, groupName });
}

/** A message the gate held, released at `releaseAt` on its `attempt`-th send attempt. */
function held(messageId: string, phone: string, releaseAt: string, attempt = 0) {
  return { messageId, phone, releaseAt, attempt };
}

/** The schedules the stand-in holds for the message `messageId`. */
const schedulesOf = (messageId: string) => standIn.list().filter((s) => s.name.includes(messageId));

describe('eventBridgeReleaseScheduler', () => {
  it('creates a one-time UTC schedule that puts the message on the FIFO queue in the phone group', async () => {
    const message = held('msg-create-1', '+13055550100', '2026-11-23T13:00:00.000Z', 2);

    await releaseScheduler().scheduleRelease(message);

    const stored = await client.send(
      new GetScheduleCommand({ Name: 'release-msg-create-1-29923980-2', GroupName: booking.groupName }),
    );
    expect(stored).toMatchObject({
      ScheduleExpression: 'at(2026-11-23T13:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: booking.targetArn,
        RoleArn: booking.roleArn,
        SqsParameters: { MessageGroupId: '+13055550100' },
        DeadLetterConfig: { Arn: booking.deadLetterArn },
      },
    });
    expect(JSON.parse(stored.Target?.Input ?? '{}')).toEqual({
      messageId: 'msg-create-1',
      dedupSuffix: '2026-11-23T13:00:00.000Z#2',
    });
  });

  it("puts the message's gate key in the queue message it releases", async () => {
    const gate = {
      messageId: 'msg-gate-1',
      agentId: 'agt_1',
      phone: '+13055550102',
      kind: 'drip' as const,
      purpose: 'automated' as const,
    };

    await releaseScheduler().scheduleRelease({
      ...held('msg-gate-1', gate.phone, '2026-11-23T15:00:00.000Z'),
      gate,
    });

    const [stored] = schedulesOf('msg-gate-1');
    expect(JSON.parse(stored?.target.Input ?? '{}')).toEqual({
      messageId: 'msg-gate-1',
      dedupSuffix: '2026-11-23T15:00:00.000Z#0',
      gate,
    });
  });

  it('treats a second request for the same attempt as done once it has seen the schedule exists', async () => {
    const message = held('msg-twice', '+13055550101', '2026-11-23T14:00:00.000Z', 1);
    await releaseScheduler().scheduleRelease(message);

    await expect(releaseScheduler().scheduleRelease(message)).resolves.toBeUndefined();

    expect(schedulesOf('msg-twice')).toHaveLength(1);
  });

  it('books a fresh schedule for a new attempt at the same release instead of swallowing a conflict', async () => {
    const first = held('msg-early', '+13055550109', '2026-11-23T14:00:00.000Z', 1);

    await releaseScheduler().scheduleRelease(first);
    await releaseScheduler().scheduleRelease({ ...first, attempt: 3 });

    const booked = schedulesOf('msg-early');
    expect(booked.map((s) => s.name).sort()).toEqual([
      'release-msg-early-29924040-1',
      'release-msg-early-29924040-3',
    ]);
    expect(new Set(booked.map((s) => s.target.Input)).size).toBe(2);
  });

  it('books a second schedule when the same message is held again until a later time', async () => {
    const first = held('msg-rehold', '+13055550102', '2026-11-23T14:00:00.000Z', 1);
    const later = { ...first, releaseAt: '2026-11-24T14:00:00.000Z' };

    await releaseScheduler().scheduleRelease(first);
    await releaseScheduler().scheduleRelease(later);

    const expressions = schedulesOf('msg-rehold')
      .map((s) => s.scheduleExpression)
      .sort();
    expect(expressions).toEqual(['at(2026-11-23T14:00:00)', 'at(2026-11-24T14:00:00)']);
  });

  it('rounds a release inside a minute up to the next minute, so a fire anywhere in it is not early', async () => {
    const message = held('msg-round', '+13055550103', '2026-11-23T13:00:30.001Z');

    await releaseScheduler().scheduleRelease(message);

    const stored = schedulesOf('msg-round')[0];
    expect(stored?.scheduleExpression).toBe('at(2026-11-23T13:01:00)');
    expect(stored?.fireAt.getTime()).toBeGreaterThanOrEqual(Date.parse(message.releaseAt));
  });

  it('hashes a message id that is not a valid schedule name, and the stand-in accepts the result', async () => {
    const messageId = `agent#42/${'x'.repeat(80)}`;

    await releaseScheduler().scheduleRelease(held(messageId, '+13055550104', '2026-11-23T15:00:00Z'));

    const stored = standIn.list().find((s) => s.target.Input?.includes('agent#42'));
    expect(stored?.name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });

  it('passes on errors other than a conflict', async () => {
    const message = held('msg-bad-group', '+13055550105', '2026-11-23T15:00:00Z');

    const attempt = releaseScheduler('not a group!').scheduleRelease(message);

    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('scheduler stand-in name rules', () => {
  it.each([['has space'], ['x'.repeat(65)], ['slash/inside']])(
    'rejects the schedule name %s',
    async (name) => {
      const request = new CreateScheduleCommand({
        Name: name,
        ScheduleExpression: 'at(2026-11-23T13:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: booking.targetArn,
          RoleArn: booking.roleArn,
          SqsParameters: { MessageGroupId: '+13055550106' },
        },
      });

      const attempt = client.send(request);

      await expect(attempt).rejects.toMatchObject({
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      });
    },
  );
});

describe('releaseExpression', () => {
  it('keeps a release that is already on a whole minute', () => {
    expect(releaseExpression('2026-03-08T07:00:00.000Z')).toBe('at(2026-03-08T07:00:00)');
  });

  it('writes the instant in UTC whatever offset releaseAt was given in', () => {
    expect(releaseExpression('2026-11-23T08:00:00-05:00')).toBe('at(2026-11-23T13:00:00)');
  });

  it('never releases before releaseAt and never a full minute after it', () => {
    const instants = fc.date({
      min: new Date('2026-01-01T00:00:00Z'),
      max: new Date('2036-12-31T23:59:59Z'),
      noInvalidDate: true,
    });

    fc.assert(
      fc.property(instants, (releaseAt) => {
        const expression = releaseExpression(releaseAt.toISOString());

        const firesAt = Date.parse(`${expression.slice(3, -1)}Z`);
        return firesAt >= releaseAt.getTime() && firesAt - releaseAt.getTime() < 60_000;
      }),
    );
  });

  it('refuses a releaseAt that is not an instant', () => {
    expect(() => releaseExpression('next tuesday')).toThrow(RangeError);
  });
});

describe('releaseScheduleName', () => {
  it('always gives a valid name, the same one for the same message, minute and attempt', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.date({ noInvalidDate: true }),
        fc.nat(10_000),
        (id, at, attempt) => {
          const name = releaseScheduleName(id, at.toISOString(), attempt);

          return (
            /^[0-9a-zA-Z_.-]{1,64}$/.test(name) && name === releaseScheduleName(id, at.toISOString(), attempt)
          );
        },
      ),
    );
  });

  it('differs for two releases of one message, and for two attempts at one release', () => {
    const first = releaseScheduleName('msg-1', '2026-11-23T13:00:00Z', 1);

    const later = releaseScheduleName('msg-1', '2026-11-23T13:01:00Z', 1);
    const again = releaseScheduleName('msg-1', '2026-11-23T13:00:00Z', 2);

    expect(later).not.toBe(first);
    expect(again).not.toBe(first);
  });
});
