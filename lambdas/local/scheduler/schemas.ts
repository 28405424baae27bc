import * as z from 'zod';
import { SchedulerError } from './errors';

export const DEFAULT_GROUP = 'default';
const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

// Scheduler's own limits, so a request AWS would refuse is refused here too.
const resourceName = z.string().regex(/^[0-9a-zA-Z_.-]{1,64}$/, 'must match [0-9a-zA-Z-_.]{1,64}');
export type CreateScheduleBody = z.infer<typeof createScheduleBody>;

const createScheduleBody = z.object({
  ScheduleExpression: z.string().min(1).max(256),
  ScheduleExpressionTimezone: z.string().min(1).max(50).optional(),
  FlexibleTimeWindow: z.object({
    Mode: z.enum(['OFF', 'FLEXIBLE']),
    MaximumWindowInMinutes: z.number().int().min(1).max(1440).optional(),
  }),
  GroupName: resourceName.optional(),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  ClientToken: z.string().min(1).max(64).optional(),
  Target: z.object({
    Arn: z.string().min(1).max(1600),
    RoleArn: z.string().min(1).max(1600),
    Input: z.string().min(1).max(8192).optional(),
    SqsParameters: z.object({ MessageGroupId: z.string().min(1).max(128).optional() }).optional(),
    DeadLetterConfig: z.object({ Arn: z.string().min(1).max(1600).optional() }).optional(),
    RetryPolicy: z
      .object({
        MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
        MaximumEventAgeInSeconds: z.number().int().min(60).max(86_400).optional(),
      })
      .optional(),
  }),
});

/** The CreateSchedule body, or a ValidationException naming each field and its rule. */
export function parseBody(raw: unknown): CreateScheduleBody {
  const parsed = createScheduleBody.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new SchedulerError(400, 'ValidationException', `Invalid request: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** The stand-in knows one-time schedules in UTC, the only kind the release scheduler creates. */
export function parseAtExpression(expression: string, timezone: string | undefined): Date {
  if (timezone !== undefined && timezone !== 'UTC') {
    throw new SchedulerError(400, 'ValidationException', `The stand-in supports only UTC, not ${timezone}.`);
  }
  const wallTime = AT_EXPRESSION.exec(expression)?.[1];
  const at = wallTime === undefined ? Number.NaN : Date.parse(`${wallTime}Z`);
  // The round trip refuses dates such as 2026-02-30 that Date would roll over into March.
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 19) !== wallTime) {
    throw new SchedulerError(400, 'ValidationException', `Invalid Schedule Expression ${expression}.`);
  }
  return new Date(at);
}

/** A schedule or group name as Scheduler accepts it, or a ValidationException. */
export function validName(value: string, field: 'Name' | 'GroupName'): string {
  if (!resourceName.safeParse(value).success) {
    throw new SchedulerError(
      400,
      'ValidationException',
      `${field} ${value} must match [0-9a-zA-Z-_.]{1,64}.`,
    );
  }
  return value;
}
