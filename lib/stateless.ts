import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { tableList } from '../lambdas/adapters/dynamo/tables';
import { httpHandlers, httpRoutes } from '../lambdas/handlers/routes';
import { appFunction } from './app-function';
import { accessOf } from './function-access';
import { backgroundFunctions } from './function-entries';
import { grantFunctionAccess } from './permissions';
import { ReleaseReconciler } from './release-reconciler';
import { WORKER_TIMEOUT, type ConsentLineStateful } from './stateful';

export type ConsentLineStatelessProps = {
  stateful: ConsentLineStateful;
  /** The URL Twilio calls (a custom domain); the API's own endpoint by default. */
  publicBaseUrl?: string;
  /** Requests per second (steady, burst) across the whole API. */
  throttle?: apigw.ThrottleSettings;
};

const API_TIMEOUT = Duration.seconds(10);
const SWEEP_TIMEOUT = Duration.seconds(60);
const SWEEP_RATE = 'rate(5 minutes)';
const DEFAULT_THROTTLE: apigw.ThrottleSettings = { rateLimit: 100, burstLimit: 200 };

/**
 * The code and its entry points: one function per HTTP handler key of `httpHandlers` (read at
 * synth time) plus the send worker and the sweep, the HTTP API with a route per `httpRoutes`
 * entry, the worker's SQS event source and the sweep's rate schedule. Functions get only the
 * access their key declares in `function-access.ts`.
 */
export class ConsentLineStateless extends Construct {
  /** Functions by key: the HTTP handler keys, `send-worker` and `sweep`. */
  readonly functions: Record<string, NodejsFunction> = {};
  readonly api: apigw.HttpApi;
  /** The API's base URL, no trailing slash. */
  readonly apiEndpoint: string;
  readonly releaseReconciler: ReleaseReconciler;

  constructor(scope: Construct, id: string, props: ConsentLineStatelessProps) {
    super(scope, id);
    const { stateful } = props;

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'ConsentLine: agent/admin API and Twilio webhooks',
      createDefaultStage: false,
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    this.apiEndpoint = this.api.apiEndpoint;

    const environment = functionEnvironment(stateful, props.publicBaseUrl ?? this.apiEndpoint);
    const define = (key: string, timeout: Duration): NodejsFunction => {
      const fn = appFunction(this, key, { timeout, environment });
      const { access, declared } = accessOf(key);
      if (!declared) {
        Annotations.of(fn).addWarningV2(
          'consentline:undeclared-access',
          `function ${key} has no entry in lib/function-access.ts: it gets every non-destructive write`,
        );
      }
      grantFunctionAccess(fn, access, stateful);
      this.functions[key] = fn;
      return fn;
    };

    for (const key of Object.keys(httpHandlers)) define(key, API_TIMEOUT);
    for (const route of httpRoutes) {
      const fn = this.functions[route.handler];
      if (fn === undefined)
        throw new Error(`route ${route.method} ${route.path}: no handler ${route.handler}`);
      this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationOf(fn),
      });
    }

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
  }

  /** The sweep runs every 5 minutes from the default Scheduler group (the release group holds only releases). */
  private scheduleSweep(sweep: NodejsFunction, stateful: ConsentLineStateful): void {
    const invoker = new iam.Role(this, 'SweepInvokerRole', {
      description: 'EventBridge Scheduler invokes the ConsentLine sweep',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    invoker.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [sweep.functionArn] }),
    );
    stateful.schedulerDeadLetterQueue.grantSendMessages(invoker);

    new scheduler.CfnSchedule(this, 'SweepSchedule', {
      description: 'ConsentLine: enqueue due drip steps',
      scheduleExpression: SWEEP_RATE,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: sweep.functionArn,
        roleArn: invoker.roleArn,
        // A missed run is covered by the next one; retrying past it would only overlap.
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 240 },
        deadLetterConfig: { arn: stateful.schedulerDeadLetterQueue.queueArn },
      },
    });
  }
}

/** What `lambdas/handlers/aws/deps.ts` reads (and `tableNamesFromEnv` for the tables). */
function functionEnvironment(stateful: ConsentLineStateful, publicBaseUrl: string): Record<string, string> {
  const environment: Record<string, string> = {
    SEND_QUEUE_URL: stateful.sendQueue.queueUrl,
    SEND_QUEUE_ARN: stateful.sendQueue.queueArn,
    SCHEDULER_GROUP: stateful.schedulerGroup.scheduleGroupName,
    SCHEDULER_ROLE_ARN: stateful.schedulerRole.roleArn,
    SCHEDULER_DLQ_ARN: stateful.schedulerDeadLetterQueue.queueArn,
    SMS_FALLBACK_QUEUE_URL: stateful.smsFallbackQueue.queueUrl,
    APP_SECRET_ARN: stateful.appSecret.secretArn,
    PUBLIC_BASE_URL: publicBaseUrl,
  };
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
