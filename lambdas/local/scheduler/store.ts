import type { Clock } from '../../ports';
import { SchedulerError } from './errors';
import { DEFAULT_GROUP, parseAtExpression, parseBody } from './schemas';
import type { StandInSchedule } from './types';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/**
 * A schedule as the store keeps it: what `list()` shows, plus the request's token and its place
 * among the schedules that fire at the same instant (drawn, not the order they were created in).
 */
export type StoredSchedule = StandInSchedule & { clientToken?: string; sequence: number; twice: boolean };

export type ScheduleStoreOptions = {
  clock: Clock;
  /** Seeds where in its minute each schedule fires and which fire twice. */
  seed: number;
  /** Share of schedules delivered twice (at-least-once). */
  duplicateShare: number;
  /** Fire exactly at `at()` instead of anywhere in its minute. */
  exact: boolean;
};

/**
 * The stand-in's schedules, by group and name. Scheduler fires a one-time schedule "between
 * 1:00:00 and 1:00:59" (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * the instant inside each `at()` minute is drawn from the seed, so an `at()` with seconds may
 * fire before them and a seeded run fires at the same instants. The schedules of one minute
 * fire together, at that minute's instant, in an order drawn when each is created, not the order
 * they were booked in: on AWS they fire at once in no promised order, so the texts they release
 * meet concurrent workers, and a walk of the test clock stops once per minute, not per schedule.
 */
export class ScheduleStore {
  private readonly schedules = new Map<string, StoredSchedule>();
  private seed: number;

  constructor(private readonly options: ScheduleStoreOptions) {
    this.seed = options.seed >>> 0;
  }

  /** CreateSchedule; a retry with the same ClientToken is the same request, not a conflict. */
  create(name: string, raw: unknown): { ScheduleArn: string } {
    const body = parseBody(raw);
    const groupName = body.GroupName ?? DEFAULT_GROUP;
    const key = scheduleKey(groupName, name);
    const existing = this.schedules.get(key);
    if (existing !== undefined) {
      if (body.ClientToken !== undefined && body.ClientToken === existing.clientToken) {
        return { ScheduleArn: existing.arn };
      }
      throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`);
    }
    const { Target: target } = body;
    if (target.Arn.endsWith('.fifo') && target.SqsParameters?.MessageGroupId === undefined) {
      throw new SchedulerError(
        400,
        'ValidationException',
        'A FIFO queue target needs SqsParameters.MessageGroupId.',
      );
    }
    const at = parseAtExpression(body.ScheduleExpression, body.ScheduleExpressionTimezone);
    const minute = Math.floor(at.getTime() / 60_000) * 60_000;
    const stored: StoredSchedule = {
      groupName,
      name,
      arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${groupName}/${name}`,
      scheduleExpression: body.ScheduleExpression,
      at,
      fireAt: this.options.exact ? at : new Date(minute + this.instantInMinute(minute)),
      twice: this.random() < this.options.duplicateShare,
      target,
      flexibleTimeWindow: body.FlexibleTimeWindow,
      actionAfterCompletion: body.ActionAfterCompletion ?? 'NONE',
      state: body.State ?? 'ENABLED',
      createdAt: this.options.clock.now(),
      failedAttempts: 0,
      sequence: this.random(),
      ...(body.ClientToken === undefined ? {} : { clientToken: body.ClientToken }),
    };
    this.schedules.set(key, stored);
    return { ScheduleArn: stored.arn };
  }

  /** The schedule, or ResourceNotFoundException. */
  find(name: string, groupName: string): StoredSchedule {
    const stored = this.schedules.get(scheduleKey(groupName, name));
    if (stored === undefined) {
      throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    }
    return stored;
  }

  /** Whether a schedule by that name existed; it does not any more. */
  delete(name: string, groupName: string): boolean {
    return this.schedules.delete(scheduleKey(groupName, name));
  }

  /** True while `schedule` is still the one stored under its name (not deleted or replaced). */
  holds(schedule: StoredSchedule): boolean {
    return this.schedules.get(scheduleKey(schedule.groupName, schedule.name)) === schedule;
  }

  /** Every schedule, in the order they fire. */
  all(): StoredSchedule[] {
    return [...this.schedules.values()].sort(
      (a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.sequence - b.sequence,
    );
  }

  private random(): number {
    this.seed = (this.seed + 0x6d2b79f5) >>> 0;
    return mulberry32(this.seed);
  }

  /** Milliseconds into the minute starting at `minute` at which its schedules fire: the same for each. */
  private instantInMinute(minute: number): number {
    const state = (this.options.seed ^ Math.imul(minute / 60_000, 0x9e3779b1)) + 0x6d2b79f5;
    return Math.floor(mulberry32(state >>> 0) * 60_000);
  }
}

// mulberry32's output step: small, seeded, and the same numbers on every platform.
function mulberry32(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

function scheduleKey(groupName: string, name: string): string {
  return `${groupName}/${name}`;
}
