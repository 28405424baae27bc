import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../ports';

/** The part of a schedule's target the stand-in keeps and hands to `deliver`. */
export type ScheduleTarget = {
  Arn: string;
  RoleArn: string;
  Input?: string;
  SqsParameters?: { MessageGroupId?: string };
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
};

/** Invokes a schedule's target; a rejection leaves the schedule due, to be retried. */
export type Deliver = (target: ScheduleTarget, input: string | undefined) => Promise<void>;

/** A stored schedule, as `list()` shows it. */
export type StandInSchedule = {
  groupName: string;
  name: string;
  arn: string;
  scheduleExpression: string;
  /** The `at()` instant as written. */
  at: Date;
  target: ScheduleTarget;
  flexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  actionAfterCompletion: 'NONE' | 'DELETE';
  state: 'ENABLED' | 'DISABLED';
  createdAt: Date;
  /** The instant inside the `at()` minute this schedule will fire at (Scheduler's 60 s precision). */
  fireAt: Date;
  /** When it fired, for a completed schedule kept by `ActionAfterCompletion: NONE`. */
  firedAt?: Date;
  failedAttempts: number;
  lastError?: string;
};

export type SchedulerStandInOptions = {
  clock: Clock;
  deliver: Deliver;
  /** Seeds where in its minute each schedule fires and which fire twice; 1 by default. */
  seed?: number;
  /** Share of schedules delivered twice (at-least-once); 0 by default. */
  duplicateShare?: number;
  /** Fire exactly at `at()` instead of anywhere in its minute (tests of other behaviour). */
  exact?: boolean;
};

export interface SchedulerStandIn {
  /** Node HTTP handler answering CreateSchedule, GetSchedule and DeleteSchedule. */
  handler(req: IncomingMessage, res: ServerResponse): void;
  /** Serves `handler` on 127.0.0.1 (a free port unless given); `endpoint` goes to `SchedulerClient`. */
  listen(port?: number): Promise<{ endpoint: string; close(): Promise<void> }>;
  /**
   * Fires every enabled schedule whose time has come by the clock, earliest first, then deletes
   * it (`ActionAfterCompletion: DELETE`). Resolves to the number of schedules that fired.
   */
  fireDue(): Promise<number>;
  list(): StandInSchedule[];
  /** Each stored schedule's instants, not copied: what the clock walk reads at every stop. */
  instants(): ReadonlyArray<Readonly<Pick<StandInSchedule, 'at' | 'fireAt' | 'firedAt'>>>;
  /** Fault: the schedule is gone without firing (deleted by hand, lost); resolves whether it existed. */
  drop(name: string, groupName?: string): boolean;
  /** How many fires were delivered twice so far (armed or by `duplicateShare`). */
  duplicateFires(): number;
  /** Fault: the next `n` schedules to fire are delivered twice, as Scheduler may (at-least-once). */
  duplicateNextFire(n?: number): void;
  /** Fault: from now on schedules fire `ms` after their time (0 puts them back on time). */
  delayFires(ms: number): void;
}
