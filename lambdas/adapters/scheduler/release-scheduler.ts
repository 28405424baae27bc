import { createHash } from 'node:crypto';
import { CreateScheduleCommand, GetScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
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
 * gate). One schedule per (message, release minute, attempt): a retried hold books the same
 * schedule again (a conflict that is confirmed, not assumed), while a release that came back
 * early is a new attempt with a new name — the schedule that fired may still be there, and a
 * swallowed conflict would leave the text held with nothing to release it.
 *
 * @example
 * const scheduler = eventBridgeReleaseScheduler({ client, groupName, targetArn: queueArn, roleArn });
 * await scheduler.scheduleRelease({ messageId, phone, releaseAt: '2026-11-23T13:00:00.000Z' });
 */
export function eventBridgeReleaseScheduler(opts: EventBridgeReleaseSchedulerOptions): ReleaseScheduler {
  const { client, groupName, targetArn, roleArn, deadLetterArn } = opts;
  return {
    async scheduleRelease({ messageId, phone, releaseAt, attempt, gate }) {
      // The attempt is part of the SQS deduplication id too: a re-booked release that fires
      // within 5 minutes of the first must not be dropped as its duplicate.
      const input: SendQueueMessage = {
        messageId,
        dedupSuffix: `${releaseAt}#${attempt}`,
        ...(gate === undefined ? {} : { gate }),
      };
      const name = releaseScheduleName(messageId, releaseAt, attempt);
      const expression = releaseExpression(releaseAt);
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: name,
            GroupName: groupName,
            ScheduleExpression: expression,
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
        if (!(error instanceof Error) || error.name !== 'ConflictException') throw error;
        // The same attempt booked it already (a redelivered hold) — check rather than assume.
        const existing = await client.send(new GetScheduleCommand({ Name: name, GroupName: groupName }));
        if (existing.ScheduleExpression !== expression) {
          throw new Error(`schedule ${name} exists with ${existing.ScheduleExpression}, not ${expression}`);
        }
      }
    },
  };
}

/**
 * The one-time schedule expression for `releaseAt`, in UTC, rounded up to the next whole
 * minute: Scheduler fires anywhere within the minute of `at()`
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html), so a release
 * at a whole minute is never early.
 *
 * @example releaseExpression('2026-11-23T13:00:00.250Z') // 'at(2026-11-23T13:01:00)'
 */
export function releaseExpression(releaseAt: string): string {
  return `at(${new Date(releaseMinute(releaseAt) * 60_000).toISOString().slice(0, 19)})`;
}

/**
 * A schedule name that is the same for the same (message, release minute, attempt) and valid
 * for Scheduler (`[0-9a-zA-Z-_.]{1,64}`): readable when the message id allows it, hashed otherwise.
 *
 * @example releaseScheduleName('01JD3K8ZQ4', '2026-11-23T13:00:00Z', 3) // 'release-01JD3K8ZQ4-29923980-3'
 */
export function releaseScheduleName(messageId: string, releaseAt: string, attempt = 0): string {
  const minute = releaseMinute(releaseAt);
  const readable = `release-${messageId}-${minute}-${attempt}`;
  if (READABLE_ID.test(messageId) && readable.length <= NAME_MAX) return readable;
  const digest = createHash('sha256').update(`${messageId}\n${minute}`).digest('hex').slice(0, 32);
  return `release.${digest}.${minute}.${attempt}`;
}

/** Epoch minutes of `releaseAt`, rounded up. */
function releaseMinute(releaseAt: string): number {
  const ms = Date.parse(releaseAt);
  if (Number.isNaN(ms)) throw new RangeError(`releaseAt is not an ISO-8601 instant: ${releaseAt}`);
  return Math.ceil(ms / 60_000);
}
