import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { tableList, type TableDefinition } from '../lambdas/adapters/dynamo/tables';
import { httpRoutes, routeKey } from '../lambdas/handlers/routes';
import { appFunction } from './app-function';
import { functionAccess, type FunctionAccess } from './function-access';
import { backgroundFunctions, streamFunctions, type FunctionKey } from './function-entries';
import { grantFunctionAccess } from './permissions';
import { ReleaseReconciler } from './release-reconciler';
import { invokeOnSchedule } from './scheduler-invoke';
import { WORKER_TIMEOUT, type ConsentLineStateful } from './stateful';

export type ConsentLineStatelessProps = {
  stateful: ConsentLineStateful;
  /**
   * The URL Twilio calls and signs, given the API: the CloudFront distribution in front of it
   * (lib/edge.ts), or a custom domain; the API's own endpoint by default.
   */
  publicBaseUrl?: string | ((api: apigw.HttpApi) => string);
  /** Requests per second (steady, burst) across the whole API. */
  throttle?: apigw.ThrottleSettings;
  /** Reserved concurrency by function key; {@link DEFAULT_RESERVED_CONCURRENCY} fills the gaps. */
  reservedConcurrency?: Partial<Record<FunctionKey, number>>;
};

/**
 * Route limits (requests per second, steady and burst) of their own, so a flood of one route
 * group cannot use up the others': the Twilio webhooks get room for a burst of real STOPs, the
 * admin routes very little (a person types them; a script guessing the key does not).
 */
export const ROUTE_THROTTLES: { prefix: string; throttle: apigw.ThrottleSettings }[] = [
  { prefix: '/twilio/', throttle: { rateLimit: 50, burstLimit: 100 } },
  { prefix: '/v1/agents', throttle: { rateLimit: 2, burstLimit: 5 } },
];

/**
 * Concurrency kept for the functions that must run when everything else is busy: the inbound
 * webhook (a STOP must never fail), delivery status (21610 → opt-out) and the send worker (opt-out
 * confirmations within 5 minutes). Reserved concurrency is also their ceiling, and the account
 * must keep 100 unreserved (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
export const DEFAULT_RESERVED_CONCURRENCY: Partial<Record<FunctionKey, number>> = {
  'twilio.sms': 50,
  'twilio.status': 20,
  'send-worker': 20,
};

const API_TIMEOUT = Duration.seconds(10);
const SWEEP_TIMEOUT = Duration.seconds(60);
const SWEEP_RATE = 'rate(5 minutes)';
const DEFAULT_THROTTLE: apigw.ThrottleSettings = { rateLimit: 100, burstLimit: 200 };
/** A rotated secret reaches every warm function within this age. */
const SECRET_MAX_AGE = Duration.minutes(5);

/** One JSON object per request; the 401/429 metric filters read `status`. */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * The code and its entry points: one function per route of `httpRoutes` (read at synth time)
 * plus the background functions, the HTTP API with each route, the worker's SQS event source and
 * the sweep's rate schedule. Functions get only the access their route (or, for a background
 * function, `function-access.ts`) declares.
 */
export class ConsentLineStateless extends Construct {
  /** Functions by key: the route keys and the background functions'. */
  readonly functions: Record<string, NodejsFunction> = {};
  readonly api: apigw.HttpApi;
  /** JSON access log lines (`status`, `routeKey`, `ip`…): the 401 and 429 alarms count them. */
  readonly accessLogs: logs.LogGroup;
  /** The API's own base URL (execute-api), no trailing slash. */
  readonly apiEndpoint: string;
  readonly releaseReconciler: ReleaseReconciler;
  readonly stage: apigw.HttpStage;
  /** What the functions verify Twilio's signatures against and what clients call. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: ConsentLineStatelessProps) {
    super(scope, id);
    const { stateful } = props;

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.accessLogs = accessLogs;
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'ConsentLine: agent/admin API and Twilio webhooks',
      createDefaultStage: false,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
    this.apiEndpoint = this.api.apiEndpoint;

    const publicBaseUrl =
      typeof props.publicBaseUrl === 'function'
        ? props.publicBaseUrl(this.api)
        : (props.publicBaseUrl ?? this.apiEndpoint);
    this.publicBaseUrl = publicBaseUrl;
    const reserved = { ...DEFAULT_RESERVED_CONCURRENCY, ...props.reservedConcurrency };
    const define = (key: FunctionKey, timeout: Duration): NodejsFunction => {
      const access = functionAccess[key]!;
      const fn = appFunction(this, key, {
        timeout,
        environment: functionEnvironment(stateful, publicBaseUrl, access),
        reservedConcurrentExecutions: reserved[key],
      });
      grantFunctionAccess(fn, access, stateful);
      this.functions[key] = fn;
      return fn;
    };

    for (const route of httpRoutes) define(route.key, API_TIMEOUT);
    // RouteSettings is a JSON map in CloudFormation: written as CloudFormation spells it.
    const routeSettings: Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }> = {};
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    for (const route of httpRoutes) {
      const fn = this.functions[route.key]!;
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationOf(fn),
      });
      const own = ROUTE_THROTTLES.find((candidate) => route.path.startsWith(candidate.prefix));
      if (own !== undefined && added !== undefined) {
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: own.throttle.rateLimit,
          ThrottlingBurstLimit: own.throttle.burstLimit,
        };
        // A route setting names a route key that must exist when the stage is updated.
        this.stage.node.addDependency(added);
      }
    }
    cfnStage.addPropertyOverride('RouteSettings', routeSettings);

    const [sendWorkerKey, sweepKey, reconcilerKey, fallbackKey] = backgroundFunctions;
    const worker = define(sendWorkerKey, WORKER_TIMEOUT);
    worker.addEventSource(
      new SqsEventSource(stateful.sendQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    const sweep = define(sweepKey, SWEEP_TIMEOUT);
    this.scheduleSweep(sweep, stateful);

    define(fallbackKey, WORKER_TIMEOUT).addEventSource(
      new SqsEventSource(stateful.smsFallbackQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    this.releaseReconciler = new ReleaseReconciler(this, 'ReleaseReconciler', {
      fn: define(reconcilerKey, SWEEP_TIMEOUT),
      stateful,
    });
    const [watchKey] = streamFunctions;
    const watcher = define(watchKey, API_TIMEOUT);
    for (const definition of tableList.filter((table) => table.appendOnly)) {
      watcher.addEventSource(
        new DynamoEventSource(stateful.tables[definition.logicalName], {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: 100,
          retryAttempts: 3,
          // Inserts are the normal life of these tables; only a change or a removal reaches the
          // watcher — of a record, not of the state item kept beside the records (replaced whole).
          filters: [lambda.FilterCriteria.filter(appendOnlyViolation(definition))],
        }),
      );
    }
  }

  /** The sweep runs every 5 minutes; a missed run is covered by the next one. */
  private scheduleSweep(sweep: NodejsFunction, stateful: ConsentLineStateful): void {
    invokeOnSchedule(this, {
      fn: sweep,
      stateful,
      rate: SWEEP_RATE,
      idPrefix: 'Sweep',
      description: 'ConsentLine: enqueue due drip steps',
      roleDescription: 'EventBridge Scheduler invokes the ConsentLine sweep',
    });
  }
}

/**
 * What `lambdas/handlers/aws/deps.ts` reads (and `tableNamesFromEnv` for the tables). A secret's
 * ARN is set only for the functions whose access lists it, matching the IAM grant.
 */
function functionEnvironment(
  stateful: ConsentLineStateful,
  publicBaseUrl: string,
  access: FunctionAccess,
): Record<string, string> {
  const environment: Record<string, string> = {
    SEND_QUEUE_URL: stateful.sendQueue.queueUrl,
    SEND_QUEUE_ARN: stateful.sendQueue.queueArn,
    SCHEDULER_GROUP: stateful.schedulerGroup.scheduleGroupName,
    SCHEDULER_ROLE_ARN: stateful.schedulerRole.roleArn,
    SCHEDULER_DLQ_ARN: stateful.schedulerDeadLetterQueue.queueArn,
    SMS_FALLBACK_QUEUE_URL: stateful.smsFallbackQueue.queueUrl,
    PUBLIC_BASE_URL: publicBaseUrl,
    SECRET_MAX_AGE_SECONDS: String(SECRET_MAX_AGE.toSeconds()),
  };
  if (access.secrets?.includes('admin')) {
    environment.ADMIN_SECRET_ARN = stateful.adminSecret.secretArn;
    environment.ADMIN_PEPPER_SECRET_ARN = stateful.adminPepperSecret.secretArn;
  }
  if (access.secrets?.includes('twilio')) environment.TWILIO_SECRET_ARN = stateful.twilioSecret.secretArn;
  for (const definition of tableList) {
    environment[`TABLE_${definition.logicalName.toUpperCase()}`] =
      stateful.tables[definition.logicalName].tableName;
  }
  return environment;
}

const integrations = new WeakMap<NodejsFunction, HttpLambdaIntegration>();

/** One integration per function, shared by all routes of its key. */
function integrationOf(fn: NodejsFunction): HttpLambdaIntegration {
  let integration = integrations.get(fn);
  if (integration === undefined) {
    integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn);
    integrations.set(fn, integration);
  }
  return integration;
}

/**
 * The stream records the append-only watch is handed: a MODIFY or REMOVE, except on a table's
 * declared state items (sort key not one of their values).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
 */
export function appendOnlyViolation(definition: TableDefinition): Record<string, unknown> {
  const eventName = lambda.FilterRule.or('MODIFY', 'REMOVE');
  const { stateItems, sortKey } = definition;
  if (stateItems === undefined || sortKey === undefined) return { eventName };
  return {
    eventName,
    dynamodb: {
      Keys: { [sortKey.name]: { [sortKey.type]: [{ 'anything-but': [...stateItems.sortKeyValues] }] } },
    },
  };
}
