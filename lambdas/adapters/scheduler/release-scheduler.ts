import { createHash } from 'node:crypto';
import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ReleaseScheduler } from '../../ports';
import type { SendQueueMessage } from '../sqs/send-queue';

/** Where release schedules live and what they may do. */
export type EventBridgeReleaseSchedulerOptions = {
  client: SchedulerClient;
  /** Schedule group holding the release schedules (must exist). */
  groupName: string;
  /** ARN of the FIFO send queue; it must have content-based deduplication on (a Scheduler rule). */
  targetArn: string;
  /** Role Scheduler assumes to call `sqs:SendMessage` on the queue. */
  roleArn: string;
  /** Standard SQS queue for releases Scheduler could not deliver after its retries. */
  deadLetterArn?: string;
};

// A release that cannot reach the queue is a held text that never goes: retry for as long as
// Scheduler allows (185 attempts, 24 h), then dead-letter it where an alarm sees it.
const RETRY_POLICY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 };

// Scheduler allows `.` too; readable names leave it out so they never equal a hashed one.
const READABLE_ID = /^[0-9a-zA-Z_-]+$/;
const NAME_MAX = 64;

/**
 * Releases held messages with EventBridge Scheduler one-time schedules that put the message
 * back on the send queue, where the worker re-checks it (RULES §3: release never bypasses the
 * gate). One schedule per (message, release second): creating it again is a no-op, so a
 * retried hold cannot release a text twice.
 *
 * @example
 * const scheduler = eventBridgeReleaseScheduler({ client, groupName, targetArn: queueArn, roleArn });
 * await scheduler.scheduleRelease({ messageId, phone, releaseAt: '2026-11-23T13:00:00.000Z' });
 */
export function eventBridgeReleaseScheduler(opts: EventBridgeReleaseSchedulerOptions): ReleaseScheduler {
  const { client, groupName, targetArn, roleArn, deadLetterArn } = opts;
  return {
    async scheduleRelease({ messageId, phone, releaseAt }) {
      const input: SendQueueMessage = { messageId, dedupSuffix: releaseAt };
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: releaseScheduleName(messageId, releaseAt),
            GroupName: groupName,
            ScheduleExpression: releaseExpression(releaseAt),
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: {
              Arn: targetArn,
              RoleArn: roleArn,
              // Becomes the SQS message body; with content-based deduplication its hash is the
              // deduplication id, so a schedule that fires twice enqueues once.
              Input: JSON.stringify(input),
              SqsParameters: { MessageGroupId: phone },
              RetryPolicy: RETRY_POLICY,
              ...(deadLetterArn === undefined ? {} : { DeadLetterConfig: { Arn: deadLetterArn } }),
            },
          }),
        );
      } catch (error) {
        // The schedule for this (message, second) exists already: the release is booked.
        if (error instanceof Error && error.name === 'ConflictException') return;
        throw error;
      }
    },
  };
}

/**
 * The one-time schedule expression for `releaseAt`, in UTC, rounded up to the next whole
 * second: `at()` has no fractions and a release must never come before the window opens.
 *
 * @example releaseExpression('2026-11-23T13:00:00.250Z') // 'at(2026-11-23T13:00:01)'
 */
export function releaseExpression(releaseAt: string): string {
  return `at(${new Date(releaseSecond(releaseAt) * 1000).toISOString().slice(0, 19)})`;
}

/**
 * A schedule name that is the same for the same (message, release second) and valid for
 * Scheduler (`[0-9a-zA-Z-_.]{1,64}`): readable when the message id allows it, hashed otherwise.
 *
 * @example releaseScheduleName('01JD3K8ZQ4', '2026-11-23T13:00:00Z') // 'release-01JD3K8ZQ4-1795438800'
 */
export function releaseScheduleName(messageId: string, releaseAt: string): string {
  const second = releaseSecond(releaseAt);
  const readable = `release-${messageId}-${second}`;
  if (READABLE_ID.test(messageId) && readable.length <= NAME_MAX) return readable;
  const digest = createHash('sha256').update(`${messageId}\n${second}`).digest('hex').slice(0, 40);
  return `release.${digest}.${second}`;
}

/** Epoch seconds of `releaseAt`, rounded up. */
function releaseSecond(releaseAt: string): number {
  const ms = Date.parse(releaseAt);
  if (Number.isNaN(ms)) throw new RangeError(`releaseAt is not an ISO-8601 instant: ${releaseAt}`);
  return Math.ceil(ms / 1000);
}
