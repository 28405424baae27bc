import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import type { Clock } from '../ports';
import { LOOPBACK } from './engines/free-port';

/**
 * A local EventBridge Scheduler: just the one-time (`at()`) schedules the release scheduler
 * creates, spoken over the same REST-JSON wire as AWS so the real `SchedulerClient` talks to it
 * (pass `endpoint`). Time is the injected clock's; schedules fire when `fireDue()` is called.
 *
 * As inconvenient as the service: a schedule fires anywhere inside the minute of its `at()` —
 * "between 1:00:00 and 1:00:59" (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html),
 * so an `at()` with seconds may fire before them — at a seeded instant, and, being
 * at-least-once, sometimes twice (`duplicateShare`).
 */

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
  /** Fault: the schedule is gone without firing (deleted by hand, lost); resolves whether it existed. */
  drop(name: string, groupName?: string): boolean;
  /** How many fires were delivered twice so far (armed or by `duplicateShare`). */
  duplicateFires(): number;
  /** Fault: the next `n` schedules to fire are delivered twice, as Scheduler may (at-least-once). */
  duplicateNextFire(n?: number): void;
  /** Fault: from now on schedules fire `ms` after their time (0 puts them back on time). */
  delayFires(ms: number): void;
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const DEFAULT_GROUP = 'default';
const SCHEDULE_PATH = /^\/schedules\/([^/]+)$/;
const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

// Scheduler's own limits, so a request AWS would refuse is refused here too.
const resourceName = z.string().regex(/^[0-9a-zA-Z_.-]{1,64}$/, 'must match [0-9a-zA-Z-_.]{1,64}');
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

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly type:
      'ValidationException' | 'ConflictException' | 'ResourceNotFoundException' | 'InternalServerException',
    message: string,
  ) {
    super(message);
  }
}

type Stored = StandInSchedule & { clientToken?: string; sequence: number; twice: boolean };

/**
 * Creates an in-process Scheduler stand-in.
 *
 * @example
 * const standIn = createSchedulerStandIn({ clock, deliver: sqsDelivery(sqsClient) });
 * const { endpoint, close } = await standIn.listen();
 * const client = new SchedulerClient({ endpoint, region: 'us-east-1', credentials });
 * // ... clock.advanceTo(later); await standIn.fireDue();
 */
export function createSchedulerStandIn(options: SchedulerStandInOptions): SchedulerStandIn {
  const { clock, deliver, duplicateShare = 0, exact = false } = options;
  const schedules = new Map<string, Stored>();
  let seed = (options.seed ?? 1) >>> 0;
  // mulberry32: a seeded run fires at the same instants.
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  let sequence = 0;
  let duplicatesLeft = 0;
  let duplicatesFired = 0;
  let fireDelayMs = 0;
  // Serialises fireDue calls, so two overlapping calls cannot fire one schedule twice.
  let firing: Promise<unknown> = Promise.resolve();

  function create(name: string, raw: unknown): { ScheduleArn: string } {
    const body = parseBody(raw);
    const groupName = body.GroupName ?? DEFAULT_GROUP;
    const key = scheduleKey(groupName, name);
    const existing = schedules.get(key);
    if (existing !== undefined) {
      // The SDK resends its ClientToken on a retry; that is the same request, not a conflict.
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
    const stored: Stored = {
      groupName,
      name,
      arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${groupName}/${name}`,
      scheduleExpression: body.ScheduleExpression,
      at,
      fireAt: exact ? at : new Date(minute + Math.floor(random() * 60_000)),
      twice: random() < duplicateShare,
      target,
      flexibleTimeWindow: body.FlexibleTimeWindow,
      actionAfterCompletion: body.ActionAfterCompletion ?? 'NONE',
      state: body.State ?? 'ENABLED',
      createdAt: clock.now(),
      failedAttempts: 0,
      sequence: sequence++,
      ...(body.ClientToken === undefined ? {} : { clientToken: body.ClientToken }),
    };
    schedules.set(key, stored);
    return { ScheduleArn: stored.arn };
  }

  function find(name: string, groupName: string): Stored {
    const stored = schedules.get(scheduleKey(groupName, name));
    if (stored === undefined) {
      throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    }
    return stored;
  }

  async function route(method: string, url: URL, body: () => Promise<unknown>): Promise<object> {
    const match = SCHEDULE_PATH.exec(url.pathname);
    if (match?.[1] === undefined) {
      throw new SchedulerError(
        404,
        'ResourceNotFoundException',
        `The stand-in does not serve ${method} ${url.pathname}.`,
      );
    }
    const name = validName(decodeURIComponent(match[1]), 'Name');
    const groupName = validName(url.searchParams.get('groupName') ?? DEFAULT_GROUP, 'GroupName');
    switch (method) {
      case 'POST':
        return create(name, await body());
      case 'GET':
        return describe(find(name, groupName));
      case 'DELETE':
        find(name, groupName);
        schedules.delete(scheduleKey(groupName, name));
        return {};
      default:
        throw new SchedulerError(
          400,
          'ValidationException',
          `The stand-in does not serve ${method} on schedules.`,
        );
    }
  }

  async function fireNow(): Promise<number> {
    const now = clock.now().getTime();
    const due = [...schedules.values()]
      .filter(
        (s) => s.state === 'ENABLED' && s.firedAt === undefined && s.fireAt.getTime() + fireDelayMs <= now,
      )
      .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.sequence - b.sequence);
    let fired = 0;
    for (const schedule of due) {
      const key = scheduleKey(schedule.groupName, schedule.name);
      // Deleted (through the API) while an earlier schedule was being delivered.
      if (schedules.get(key) !== schedule) continue;
      const copies = duplicatesLeft > 0 || schedule.twice ? 2 : 1;
      try {
        for (let copy = 0; copy < copies; copy++) await deliver(schedule.target, schedule.target.Input);
      } catch (error) {
        // Scheduler retries a failed invocation; here the next fireDue is the retry.
        schedule.failedAttempts++;
        schedule.lastError = error instanceof Error ? error.message : String(error);
        continue;
      }
      if (copies === 2 && !schedule.twice) duplicatesLeft--;
      if (copies === 2) duplicatesFired++;
      fired++;
      if (schedule.actionAfterCompletion === 'DELETE') {
        schedules.delete(key);
      } else {
        schedule.firedAt = clock.now();
      }
    }
    return fired;
  }

  const standIn: SchedulerStandIn = {
    handler(req, res) {
      const url = new URL(req.url ?? '/', 'http://scheduler.local');
      route(req.method ?? 'GET', url, () => readJson(req)).then(
        (body) => respond(res, 200, body),
        (error: unknown) => {
          const failure =
            error instanceof SchedulerError
              ? error
              : new SchedulerError(
                  500,
                  'InternalServerException',
                  error instanceof Error ? error.message : String(error),
                );
          respond(res, failure.status, { Message: failure.message }, failure.type);
        },
      );
    },

    listen(port = 0) {
      const server = createServer((req, res) => standIn.handler(req, res));
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, LOOPBACK, () => {
          const address = server.address();
          const bound = typeof address === 'object' && address !== null ? address.port : port;
          resolve({
            endpoint: `http://${LOOPBACK}:${bound}`,
            close: () =>
              new Promise<void>((done) => {
                // The SDK keeps sockets alive; without this, close() would wait for them to idle out.
                server.closeAllConnections();
                server.close(() => done());
              }),
          });
        });
      });
    },

    fireDue() {
      const run = firing.then(fireNow);
      firing = run.catch(() => undefined);
      return run;
    },

    list() {
      return [...schedules.values()]
        .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.sequence - b.sequence)
        .map(({ clientToken: _token, sequence: _sequence, twice: _twice, ...schedule }) =>
          structuredClone(schedule),
        );
    },

    duplicateFires: () => duplicatesFired,

    drop(name, groupName = DEFAULT_GROUP) {
      return schedules.delete(scheduleKey(groupName, name));
    },

    duplicateNextFire(n = 1) {
      duplicatesLeft = n;
    },

    delayFires(ms) {
      fireDelayMs = ms;
    },
  };
  return standIn;
}

/**
 * A `deliver` that does what Scheduler's SQS target does: SendMessage with the schedule's Input
 * as the body and its MessageGroupId, and no deduplication id — a FIFO target queue must have
 * content-based deduplication on, exactly as in AWS.
 *
 * @param queueUrlForArn maps a target ARN to its queue URL; by default the queue is looked up by
 *   the name at the end of the ARN.
 */
export function sqsDelivery(
  client: SQSClient,
  queueUrlForArn: (arn: string) => string | Promise<string> = (arn) => queueUrlByName(client, arn),
): Deliver {
  return async (target, input) => {
    if (input === undefined) throw new Error(`Schedule target ${target.Arn} has no Input to send.`);
    const groupId = target.SqsParameters?.MessageGroupId;
    await client.send(
      new SendMessageCommand({
        QueueUrl: await queueUrlForArn(target.Arn),
        MessageBody: input,
        ...(groupId === undefined ? {} : { MessageGroupId: groupId }),
      }),
    );
  };
}

async function queueUrlByName(client: SQSClient, arn: string): Promise<string> {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: arn.split(':').at(-1) }));
  if (QueueUrl === undefined) throw new Error(`No queue for ${arn}`);
  return QueueUrl;
}

function parseBody(raw: unknown): z.infer<typeof createScheduleBody> {
  const parsed = createScheduleBody.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new SchedulerError(400, 'ValidationException', `Invalid request: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** The stand-in knows one-time schedules in UTC, the only kind the release scheduler creates. */
function parseAtExpression(expression: string, timezone: string | undefined): Date {
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

function validName(value: string, field: 'Name' | 'GroupName'): string {
  if (!resourceName.safeParse(value).success) {
    throw new SchedulerError(
      400,
      'ValidationException',
      `${field} ${value} must match [0-9a-zA-Z-_.]{1,64}.`,
    );
  }
  return value;
}

function describe(s: Stored): object {
  return {
    Arn: s.arn,
    GroupName: s.groupName,
    Name: s.name,
    ScheduleExpression: s.scheduleExpression,
    ScheduleExpressionTimezone: 'UTC',
    State: s.state,
    // REST-JSON timestamps are epoch seconds.
    CreationDate: s.createdAt.getTime() / 1000,
    LastModificationDate: s.createdAt.getTime() / 1000,
    Target: s.target,
    FlexibleTimeWindow: s.flexibleTimeWindow,
    ActionAfterCompletion: s.actionAfterCompletion,
  };
}

function scheduleKey(groupName: string, name: string): string {
  return `${groupName}/${name}`;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new SchedulerError(400, 'ValidationException', 'The request body is not JSON.');
  }
}

function respond(res: ServerResponse, status: number, body: object, errorType?: string): void {
  // The SDK reads the error name from x-amzn-errortype (or __type) and throws that exception.
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  res.end(JSON.stringify(errorType === undefined ? body : { ...body, __type: errorType }));
}
