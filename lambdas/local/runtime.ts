import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { enforceFunctionAccess, runAs } from './access-standin';
import { composeDeps } from '../adapters/compose-deps';
import { createTables, documentClient, prefixedTableNames, type TableNames } from '../adapters/dynamo';
import { createSendWorkerHandler } from '../handlers/sqs/send-worker';
import { createSmsFallbackProcessor, type FallbackCounts } from '../handlers/sqs/sms-fallback-processor';
import { httpRoutes } from '../handlers/routes';
import type { HttpHandler } from '../handlers/http/middleware';
import { adminKeyCheck, newAdminKey, weakAdminKeyProblem } from '../usecases/admin-key';
import { createAgent } from '../usecases/create-agent';
import type { Deps } from '../usecases/deps';
import type { SendMessageOptions } from '../usecases/send-message';
import { OVERDUE_AFTER_MS, reconcileReleases } from '../usecases/reconcile-releases';
import { sweepDueSteps } from '../usecases/sweep';
import { utcDay } from '../compliance/cadence';
import { createConsoleRoutes } from '../client/web/serve';
import { toApiGatewayEvent, writeApiGatewayResult } from './api-gateway-event';
import { BodyTooLargeError, readBody } from './read-body';
import { localDynamoClient, localSqsClient, LOCAL_REGION } from './engines/aws-clients';
import { startDynamoDbLocal } from './engines/dynamodb-local';
import { startFauxqs } from './engines/fauxqs';
import { LOOPBACK } from './engines/free-port';
import { localLambdaContext } from './lambda-context';
import { createFallbackQueue, createLocalQueues } from './local-queues';
import { createLookupStandIn, type LookupStandIn } from './lookup-standin';
import { handleNumbersRoute } from './numbers-route';
import { drainQueues, startQueuePoller } from './queue-poller';
import { createRouteMatcher } from './route-matcher';
import { createSchedulerStandIn, sqsDelivery } from './scheduler';
import { createPhoneRoutes, LOCAL_ACCOUNT_SID } from './simulated-phone';
import { TestClock } from './test-clock';
import { ClockBusyError, createClockWalks, type ClockWalk } from './clock-walks';
import { watchDueSteps } from './due-steps';
import { createTwilioStandIn } from './twilio-standin';
import { twilioMessagingUrls } from '../handlers/twilio/webhook-urls';

const DAY_MS = 86_400_000;
/** Without a test clock the scheduler and the sweep run on timers, as EventBridge would. */
const FIRE_EVERY_MS = 1_000;
const SWEEP_EVERY_MS = 30_000;
// The drip sweep's EventBridge rate on AWS (lib/stateless.ts `rate(5 minutes)`): a walk of the
// test clock runs it on the same 5-minute ticks, so a step due at 18:00Z goes at 18:00–18:05Z.
const SWEEP_RATE_MS = 5 * 60_000;

export type LocalRuntimeOptions = {
  /** 0 picks a free port. */
  port?: number;
  /** Keep DynamoDB data in this folder instead of memory. */
  dataDir?: string;
  /** Start the test clock frozen at this instant (else real time until `POST /local/clock`). */
  clockStart?: Date;
  adminKey?: string;
  twilioAuthToken?: string;
  /** Delay of the Twilio stand-in's status callbacks in real time. */
  callbackDelayMs?: number;
  /** Create a ready demo agent. */
  demoAgent?: boolean;
  /**
   * The send queue's consumers. `concurrency` pollers play Lambda's concurrent invocations on
   * different message groups (1 by default); `visibilityTimeoutSeconds` is how long a failed
   * record stays hidden before it is retried (30 by default); `options` reach every `sendMessage`
   * call (simulations inject a crash between `sending` and Twilio's answer there);
   * `retryFailedAtOnce` brings a failed record back as soon as its batch is done instead of
   * after the visibility timeout (the queue poller's option of that name).
   */
  sendWorkers?: {
    concurrency?: number;
    visibilityTimeoutSeconds?: number;
    retryFailedAtOnce?: boolean;
    options?: SendMessageOptions;
  };
  /** How long the send path waits for Twilio's answer before calling it a timeout (10 s by default). */
  twilioTimeoutMs?: number;
  /**
   * Use engines that are already running (tests share one of each) instead of starting them;
   * `namespace` keeps this runtime's tables and queues apart from others on the same engines.
   */
  engines?: { dynamoEndpoint: string; sqsEndpoint: string; namespace: string };
  /**
   * Run the scheduler and the sweep on timers (true by default). Benches turn them off so no
   * background sweep runs inside a timed request; `settle()` and `advanceClock()` still run both.
   */
  backgroundTimers?: boolean;
  /** Serve the built web console from this folder at `/` (see `lambdas/client/web`). */
  consoleDir?: string;
};

export type LocalRuntime = {
  baseUrl: string;
  adminKey: string;
  twilioAuthToken: string;
  demo?: { agentId: string; apiKey: string; senderNumber: string; forwardTo: string };
  deps: Deps;
  /** The engines behind the runtime, for tests and operators that need to look underneath. */
  engines: {
    dynamoEndpoint: string;
    sqsEndpoint: string;
    tables: TableNames;
    queueUrl: string;
    deadLetterUrl: string;
    /** The client every store of `deps` uses: benchmarks attach middleware (round trips, capacity) to it. */
    dynamoClient: DynamoDBClient;
  };
  clock: TestClock;
  twilio: ReturnType<typeof createTwilioStandIn>;
  /** Twilio Lookup v2 stand-in: `POST /local/numbers/{phone}` declares its answers. */
  lookup: LookupStandIn;
  scheduler: ReturnType<typeof createSchedulerStandIn>;
  /**
   * Moves the test clock forward, firing everything due on the way; resolves when all is settled.
   * It stops at every schedule, at the sweep's 5-minute tick after every drip step due on the
   * way (as the rate schedule would run it on AWS) and at every UTC day boundary, or — given
   * `stops` — at those instants instead of day boundaries (a test that knows the due times).
   * Throws `ClockBusyError` while another walk runs.
   */
  advanceClock(to: Date, options?: { stops?: Date[] }): Promise<void>;
  /**
   * Starts a walk of the test clock in the background, as `POST /local/clock` does: answers at
   * once; `done` resolves when it ends. Throws `ClockBusyError` while another walk runs.
   */
  startClockWalk(to: Date): { walk: ClockWalk; done: Promise<void> };
  /** The latest clock walk and its progress, as `GET /local/clock` reports it. */
  clockWalk(): ClockWalk | undefined;
  /** Runs the reconciler, the sweep, due schedules, the queue and status callbacks until nothing moves. */
  settle(): Promise<void>;
  /**
   * Stops the queue consumers (send worker, fallback processor) polling in the background, as
   * when they run in Lambdas of their own: a bench timing one request keeps them out of it.
   * `settle()` and `advanceClock()` still drain both queues. Resolves once no receive is in flight.
   */
  pauseQueues(): Promise<void>;
  /** The queue consumers poll in the background again. */
  resumeQueues(): void;
  /**
   * Drains the queues (send worker, fallback processor) and delivers the status callbacks due,
   * without a sweep or a reconciler run: what one inbound text can leave behind.
   */
  drainQueues(): Promise<void>;
  /** Held texts the release reconciler found past their release so far (each a missing schedule). */
  overdueReleasesFound(): number;
  /** What the fallback processor did with captured webhooks so far. */
  fallbackCounts(): FallbackCounts;
  /** Fault: the next `n` requests to `path` answer 500 (`'500'`) or hang past Twilio's read timeout. */
  failWebhook(path: string, n: number, kind: '500' | 'timeout'): void;
  stop(): Promise<void>;
};

/**
 * ConsentLine on one machine: the production handlers and adapters, on DynamoDB Local, an SQS
 * FIFO engine (fauxqs), a Scheduler stand-in, a Twilio stand-in and simulated phones, behind
 * one HTTP server that turns requests into API Gateway v2 events. Nothing here replaces our own
 * code with a mock.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    return await assemble(options, stops, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function assemble(
  options: LocalRuntimeOptions,
  stops: Array<() => Promise<void> | void>,
  stop: () => Promise<void>,
): Promise<LocalRuntime> {
  const clock = new TestClock(options.clockStart);
  const adminKey = options.adminKey ?? newAdminKey();
  // Refused before anything starts: a chosen admin key must be as strong as a generated one.
  const weakness = weakAdminKeyProblem(adminKey);
  if (weakness !== undefined) throw new Error(`CONSENTLINE_ADMIN_KEY: ${weakness}`);
  const twilioAuthToken = options.twilioAuthToken ?? 'local-twilio-auth-token';

  const shared = options.engines;
  const [dynamo, sqsEngine] = shared
    ? [{ endpoint: shared.dynamoEndpoint }, { endpoint: shared.sqsEndpoint }]
    : await Promise.all([startDynamoDbLocal({ dataDir: options.dataDir }), startFauxqs()]);
  if (!shared)
    stops.push(
      () => (dynamo as { stop(): Promise<void> }).stop(),
      () => (sqsEngine as { stop(): Promise<void> }).stop(),
    );
  const namespace = shared?.namespace ?? 'consentline';
  const dynamoClient = localDynamoClient(dynamo.endpoint);
  const sqs = localSqsClient(sqsEngine.endpoint);
  const tables = prefixedTableNames(`${namespace}_`);
  const [, queues, fallbackQueueUrl] = await Promise.all([
    createTables(dynamoClient, tables),
    createLocalQueues(sqs, `${namespace}-send`),
    createFallbackQueue(sqs, `${namespace}-sms-fallback`),
  ]);

  let route: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return tooLarge(req, res, error);
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal', message: 'local runtime error' }));
    });
  });
  const baseUrl = await listen(server, options.port ?? 3000);
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  const twilio = createTwilioStandIn({
    accountSid: LOCAL_ACCOUNT_SID,
    authToken: twilioAuthToken,
    clock,
    callbackDelayMs: options.callbackDelayMs ?? 20,
  });
  stops.push(() => twilio.stop());
  const lookupStandIn = createLookupStandIn({
    clock,
    accountSid: LOCAL_ACCOUNT_SID,
    authToken: twilioAuthToken,
  });
  const schedulerStandIn = createSchedulerStandIn({ clock, deliver: sqsDelivery(sqs) });
  const schedulerServer = await schedulerStandIn.listen();
  stops.push(() => schedulerServer.close());

  const twilioAccess = {
    accountSid: LOCAL_ACCOUNT_SID,
    authToken: twilioAuthToken,
    baseUrl,
    ...(options.twilioTimeoutMs === undefined ? {} : { timeoutMs: options.twilioTimeoutMs }),
  };
  const scheduler = new SchedulerClient({
    region: LOCAL_REGION,
    endpoint: schedulerServer.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Each function's requests are held to its grants, as IAM holds them on AWS.
  enforceFunctionAccess(
    { dynamo: dynamoClient, sqs, scheduler },
    { tables, sendQueueUrl: queues.queueUrl, fallbackQueueUrl },
  );
  const deps = composeDeps({
    clients: { dynamo: documentClient(dynamoClient), sqs, scheduler },
    config: {
      resources: {
        tables,
        sendQueue: { url: queues.queueUrl, arn: queues.queueArn },
        releases: {
          groupName: 'consentline',
          roleArn: 'arn:aws:iam::000000000000:role/consentline-scheduler',
          deadLetterArn: queues.deadLetterArn,
        },
        fallbackQueueUrl,
      },
      publicBaseUrl: baseUrl,
      twilio: twilioAccess,
      adminKey: adminKeyCheck(adminKey),
    },
    clock,
  });

  const reconciled = { found: 0 };
  const webhookFaults = new Map<string, Array<'500' | 'timeout'>>();
  const sendWorker = createSendWorkerHandler(deps, options.sendWorkers?.options);
  const pollers = await Promise.all(
    Array.from({ length: Math.max(1, options.sendWorkers?.concurrency ?? 1) }, () =>
      startQueuePoller({
        client: sqs,
        queueUrl: queues.queueUrl,
        handler: (event) => runAs('send-worker', () => sendWorker(event, localLambdaContext('send-worker'))),
        waitTimeSeconds: 1,
        ...(options.sendWorkers?.visibilityTimeoutSeconds === undefined
          ? {}
          : { visibilityTimeout: options.sendWorkers.visibilityTimeoutSeconds }),
        ...(options.sendWorkers?.retryFailedAtOnce === true ? { retryFailedAtOnce: true } : {}),
      }),
    ),
  );
  stops.push(() => Promise.all(pollers.map((poller) => poller.stop())).then(() => undefined));
  const fallbackCounts: FallbackCounts = { applied: 0, dropped: 0, retried: 0 };
  const fallbackProcessor = createSmsFallbackProcessor(deps, {
    observe: (counts) => {
      fallbackCounts.applied += counts.applied;
      fallbackCounts.dropped += counts.dropped;
      fallbackCounts.retried += counts.retried;
    },
  });
  const fallbackPoller = await startQueuePoller({
    client: sqs,
    queueUrl: fallbackQueueUrl,
    handler: (event) =>
      runAs('sms-fallback-processor', () =>
        fallbackProcessor(event, localLambdaContext('sms-fallback-processor')),
      ),
    waitTimeSeconds: 1,
  });
  stops.push(() => fallbackPoller.stop());

  const handlers = new Map<string, HttpHandler>(httpRoutes.map((route) => [route.key, route.create(deps)]));
  const match = createRouteMatcher(httpRoutes);
  const messagingUrls = twilioMessagingUrls(baseUrl);
  const phones = createPhoneRoutes({
    standIn: twilio,
    webhookUrl: messagingUrls.sms,
    fallbackUrl: messagingUrls.smsFallback,
    origin: baseUrl,
  });

  const dueSteps = watchDueSteps(deps.stores.messages);

  async function drainAll(): Promise<void> {
    await drainQueues([fallbackPoller, ...pollers], { timeoutMs: 30_000 });
    await twilio.flushCallbacks();
  }

  /**
   * Settles the clock's instant. The sweep and the reconciler run on AWS every 5 minutes; here
   * at every 5-minute tick the clock stops at and wherever all is settled (`settle()`, the end
   * of a walk), never at other stops. Within one instant the sweep runs again only after a step
   * was put into `scheduled`: otherwise it would read the same due index and find nothing.
   */
  async function settleInstant(periodic: boolean): Promise<void> {
    if (periodic && reconcilerDue(clock.now().getTime()))
      reconciled.found += (
        await runAs('release-reconciler', () => reconcileReleases(deps, clock.now()))
      ).found;
    let sweptAtChanges: number | undefined;
    for (let round = 0; round < 20; round++) {
      let enqueued = 0;
      if (periodic && sweptAtChanges !== dueSteps.changes() && (await sweepFinds(clock.now().getTime()))) {
        sweptAtChanges = dueSteps.changes();
        const swept = await runAs('sweep', () => sweepDueSteps(deps, { now: clock.now() }));
        lastSweep = { day: utcDay(clock.now()), failed: swept.failed, backdated: dueSteps.backdated() };
        enqueued = swept.enqueued;
      }
      const fired = await schedulerStandIn.fireDue();
      await drainAll();
      if (enqueued === 0 && fired === 0) return;
    }
  }

  let reconciledInPeriod: number | undefined;
  /**
   * The reconciler's rate schedule runs it once per 5-minute period on AWS: a second run in the
   * same period (a settle at an instant the walk settled already) would read the same index to
   * the same effect, since a held text is overdue only once its release is 5 minutes past.
   */
  function reconcilerDue(now: number): boolean {
    const period = Math.floor(now / RECONCILE_EVERY_MS);
    if (period === reconciledInPeriod) return false;
    reconciledInPeriod = period;
    return true;
  }

  let lastSweep: { day: string; failed: number; backdated: number } | undefined;
  /**
   * Whether a sweep now could find a step: one of today's is due, or the sweep has a day behind
   * it to catch up on (a new day, a step it could not enqueue, a step given back due before
   * today). Every write through the runtime's store is watched, so a sweep that would read the
   * due index only to find nothing is not run: on AWS it runs every 5 minutes to the same effect.
   */
  async function sweepFinds(now: number): Promise<boolean> {
    if (lastSweep === undefined || lastSweep.failed > 0 || lastSweep.day !== utcDay(new Date(now)))
      return true;
    if (lastSweep.backdated !== dueSteps.backdated()) return true;
    return (await dueSteps.dueOn(now)).some((at) => at <= now);
  }

  async function settle(): Promise<void> {
    // The release reconciler runs every 5 minutes on AWS; here at every settle (and the clock
    // stops at its run after a schedule that should have fired by then).
    await settleInstant(true);
  }

  const walks = createClockWalks({ now: () => clock.now() });

  /** The sweep tick (every 5 minutes on AWS) at which the next drip step due later today goes. */
  async function nextSweepTick(now: number): Promise<number> {
    // A step due at or before now that is still scheduled goes at the next tick.
    const next = (await dueSteps.dueOn(now))
      .map((at) => Math.max(Math.ceil(at / SWEEP_RATE_MS), Math.floor(now / SWEEP_RATE_MS) + 1))
      .reduce((earliest, tick) => Math.min(earliest, tick), Number.POSITIVE_INFINITY);
    return next * SWEEP_RATE_MS;
  }

  async function walkTo(to: Date, advance: { stops?: Date[] } = {}): Promise<void> {
    const stops = advance.stops?.map((stop) => stop.getTime()).sort((a, b) => a - b);
    while (clock.now().getTime() < to.getTime()) {
      const now = clock.now().getTime();
      const nextBoundary = stops
        ? (stops.find((stop) => stop > now) ?? Number.POSITIVE_INFINITY)
        : (Math.floor(now / DAY_MS) + 1) * DAY_MS;
      const nextFire = schedulerStandIn
        .instants()
        .map((schedule) => nextScheduleStop(schedule, now))
        .reduce((earliest, at) => Math.min(earliest, at), Number.POSITIVE_INFINITY);
      // Stop at every schedule, every sweep tick a step is due at and every day boundary, so
      // each text is decided at the instant it would be on AWS, not all at the end of the jump.
      const nextStop = Math.min(to.getTime(), nextBoundary, nextFire, await nextSweepTick(now));
      clock.advanceTo(new Date(nextStop));
      await settleInstant(nextStop % SWEEP_RATE_MS === 0 || nextStop === to.getTime());
    }
  }

  async function advanceClock(to: Date, advance: { stops?: Date[] } = {}): Promise<void> {
    await walks.run(to, (target) => walkTo(target, advance));
  }

  const consoleSite = options.consoleDir === undefined ? undefined : createConsoleRoutes(options.consoleDir);
  route = async (req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    if (consoleSite && (await consoleSite.handle(req, res))) return;
    const fault = webhookFaults.get(url.pathname)?.shift();
    if (fault === '500') {
      await readBody(req);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('injected fault');
      return;
    }
    // Past Twilio's read timeout (the URL's `rt`), then closed without an answer.
    if (fault === 'timeout') return void setTimeout(() => res.destroy(), 5_000).unref();
    if (url.pathname.startsWith('/2010-04-01/')) {
      if (await twilio.handle(req, res)) return;
    }
    if (url.pathname.startsWith('/v2/PhoneNumbers/')) {
      if (await lookupStandIn.handle(req, res)) return;
    }
    if (url.pathname.startsWith('/local/numbers/')) {
      if (await handleNumbersRoute(lookupStandIn, req, res)) return;
    }
    if (url.pathname.startsWith('/local/phone/')) {
      if (await phones.handle(req, res)) return;
    }
    if (url.pathname === '/local/clock') return clockRoute(req, res);
    const found = match(req.method ?? 'GET', url.pathname);
    if (found === undefined || found === 'method_not_allowed') {
      const status = found === undefined ? 404 : 405;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: status === 404 ? 'not_found' : 'method_not_allowed',
          message: `${req.method} ${url.pathname}`,
        }),
      );
      return;
    }
    const body = await readBody(req);
    const event = toApiGatewayEvent(req, body, found, clock.now());
    const handler = handlers.get(found.route.key)!;
    const result = await runAs(found.route.key, () => handler(event, localLambdaContext(found.route.key)));
    writeApiGatewayResult(res, result);
  };

  async function clockRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET') {
      const walk = walks.latest();
      return reply(200, { now: clock.now().toISOString(), ...(walk === undefined ? {} : { walk }) });
    }
    if (req.method !== 'POST') return reply(405, { error: 'method_not_allowed' });
    let target: Date;
    let wait: boolean;
    try {
      const parsed = JSON.parse((await readBody(req)).toString('utf8')) as { now?: unknown; wait?: unknown };
      target = new Date(typeof parsed.now === 'string' ? parsed.now : NaN);
      if (Number.isNaN(target.getTime())) throw new Error('now: expected an ISO-8601 instant');
      if (target.getTime() < clock.now().getTime())
        throw new Error(`now: ${target.toISOString()} is in the past`);
      if (parsed.wait !== undefined && typeof parsed.wait !== 'boolean')
        throw new Error('wait: expected true or false');
      wait = parsed.wait === true;
    } catch (error) {
      return reply(400, {
        error: 'invalid_request',
        message: error instanceof Error ? error.message : String(error),
      });
    }
    try {
      if (wait) {
        const walk = await walks.run(target, (to) => walkTo(to));
        return reply(200, { now: clock.now().toISOString(), walk });
      }
      // A year's walk takes minutes: answer at once; GET /local/clock reports its progress.
      const { walk, done } = walks.start(target, (to) => walkTo(to));
      void done.then(() => {
        const ended = walks.latest();
        if (ended?.status === 'failed') console.error(`clock walk ${ended.walkId} failed: ${ended.error}`);
      });
      return reply(202, { now: clock.now().toISOString(), walk });
    } catch (error) {
      if (error instanceof ClockBusyError) return reply(409, { error: 'clock_busy', message: error.message });
      throw error;
    }
  }

  const timers =
    options.backgroundTimers === false
      ? []
      : [
          setInterval(() => void schedulerStandIn.fireDue().catch(console.error), FIRE_EVERY_MS),
          setInterval(
            () => void runAs('sweep', () => sweepDueSteps(deps, { now: clock.now() })).catch(console.error),
            SWEEP_EVERY_MS,
          ),
        ];
  timers.forEach((timer) => timer.unref());
  stops.push(() => timers.forEach((timer) => clearInterval(timer)));

  let demo: LocalRuntime['demo'];
  if (options.demoAgent !== false) {
    const senderNumber = '+13055550100';
    const forwardTo = '+13055550199';
    const created = await createAgent(deps, {
      name: 'Dana Reyes',
      brokerage: 'Harbor Realty',
      senderNumber,
      forwardTo,
      doubleOptIn: false,
    });
    demo = { agentId: created.agent.agentId, apiKey: created.apiKey, senderNumber, forwardTo };
  }

  return {
    baseUrl,
    adminKey,
    twilioAuthToken,
    demo,
    deps,
    engines: {
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: sqsEngine.endpoint,
      tables,
      queueUrl: queues.queueUrl,
      deadLetterUrl: queues.deadLetterUrl,
      dynamoClient,
    },
    clock,
    twilio,
    lookup: lookupStandIn,
    scheduler: schedulerStandIn,
    advanceClock,
    startClockWalk: (to) => walks.start(to, (target) => walkTo(target)),
    clockWalk: () => walks.latest(),
    settle,
    drainQueues: drainAll,
    pauseQueues: async () => {
      await Promise.all([...pollers, fallbackPoller].map((poller) => poller.pause()));
    },
    resumeQueues: () => [...pollers, fallbackPoller].forEach((poller) => poller.resume()),
    overdueReleasesFound: () => reconciled.found,
    fallbackCounts: () => ({ ...fallbackCounts }),
    failWebhook(path, n, kind) {
      const list = webhookFaults.get(path) ?? [];
      for (let i = 0; i < n; i++) list.push(kind);
      webhookFaults.set(path, list);
    },
    stop,
  };
}

const RECONCILE_EVERY_MS = 5 * 60_000;

/**
 * Where the clock must stop for a schedule: at its fire instant, and — once that has passed
 * with the schedule still pending (firing late, or failing) — at the reconciler's next 5-minute
 * run that sees its release overdue, as the reconciler's `rate(5 minutes)` would on AWS.
 */
function nextScheduleStop(schedule: { fireAt: Date; at: Date; firedAt?: Date }, now: number): number {
  if (schedule.firedAt !== undefined) return Number.POSITIVE_INFINITY;
  const fireAt = schedule.fireAt.getTime();
  if (fireAt > now) return fireAt;
  const overdueAt = schedule.at.getTime() + OVERDUE_AFTER_MS;
  const run = (Math.floor(overdueAt / RECONCILE_EVERY_MS) + 1) * RECONCILE_EVERY_MS;
  return run > now ? run : Number.POSITIVE_INFINITY;
}

/** API Gateway's answer to an oversize request; the rest of the upload is read and dropped. */
function tooLarge(req: IncomingMessage, res: ServerResponse, error: BodyTooLargeError): void {
  if (!res.headersSent) res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(
    JSON.stringify({
      error: 'payload_too_large',
      message: `body is over ${error.limitBytes} bytes, the API's limit`,
    }),
  );
  req.resume();
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${LOOPBACK}:${address.port}`);
    });
  });
}
