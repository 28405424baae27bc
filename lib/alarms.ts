import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NUMBER_LOOKUP_FAILED } from '../lambdas/usecases/number-check';
import { ADMIN_AUTH_FAILED } from '../lambdas/handlers/http/middleware';
import { functionConstructId } from './app-function';
import { functionAccess } from './function-access';
import { streamFunctions } from './function-entries';

const METRIC_NAMESPACE = 'ConsentLine';
/**
 * Flood and probing thresholds per 5 minutes. A real STOP burst is a few dozen; a guess at a key
 * shows as a run of 401s; 429s mean a route's own limit is being hit (by a flood or by us).
 */
export const FLOOD_THRESHOLDS = {
  unauthorized: 50,
  throttled: 1,
  clientErrorRate: 0.25,
  clientErrorMinimumRequests: 100,
  adminAuthFailures: 5,
};

export type ConsentLineAlarmsProps = {
  functions: Record<string, NodejsFunction>;
  api: apigw.IHttpApi;
  /** The API's JSON access logs (lib/stateless.ts `ACCESS_LOG_FORMAT`). */
  accessLogs: logs.ILogGroup;
  sendQueue: sqs.IQueue;
  /** Dead-letter queues: any message on one is a text that did not go, or a release that did not happen. */
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** Metrics that must stay at 0 (e.g. held texts past their release); any value above is an alarm. */
  zeroMetrics?: Record<string, { metric: cloudwatch.IMetric; description: string }>;
  /** Queues that must be empty within `minutes` (e.g. fallback captures waiting to be applied). */
  drainingQueues?: Record<string, { queue: sqs.IQueue; minutes: number; description: string }>;
};

// RULES §2: an opt-out confirmation goes out within 5 minutes, so a send waiting longer is news.
const OLDEST_SEND_AGE = Duration.minutes(5);
// Automated texts wait while Lookup fails (never sent unchecked); 15 minutes of it is news.
const LOOKUP_FAILING_FOR = Duration.minutes(15);
const LOOKUP_PERIOD = Duration.minutes(5);

/**
 * CloudWatch alarms, all notifying one SNS topic the operator subscribes to: a message on any
 * dead-letter queue, a send queue that stops draining, Lookup failing for 15 minutes, and every
 * function's errors and throttles.
 */
export class ConsentLineAlarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: ConsentLineAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'ConsentLine alarms', enforceSSL: true });
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, options: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'>) =>
      new cloudwatch.Alarm(this, alarmId, {
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      }).addAlarmAction(action);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`${name}DepthAlarm`, {
        alarmDescription: `${name}: messages are waiting on a dead-letter queue`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    for (const [name, { metric, description }] of Object.entries(props.zeroMetrics ?? {})) {
      alarm(`${name}Alarm`, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    for (const [name, { queue, minutes, description }] of Object.entries(props.drainingQueues ?? {})) {
      new cloudwatch.Alarm(this, `${name}NotEmptyAlarm`, {
        alarmDescription: description,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MINIMUM,
        }),
        // Not empty at any point of `minutes` consecutive minutes.
        evaluationPeriods: minutes,
        datapointsToAlarm: minutes,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }

    alarm('SendQueueAgeAlarm', {
      alarmDescription: `the oldest send has waited more than ${OLDEST_SEND_AGE.toMinutes()} minutes`,
      metric: props.sendQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: OLDEST_SEND_AGE.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    const worker = props.functions['send-worker'];
    if (worker !== undefined) {
      const failures = new logs.MetricFilter(this, 'NumberLookupFailures', {
        logGroup: worker.logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', NUMBER_LOOKUP_FAILED),
        metricNamespace: 'ConsentLine',
        metricName: 'NumberLookupFailures',
        metricValue: '1',
      });
      const periods = LOOKUP_FAILING_FOR.toMinutes() / LOOKUP_PERIOD.toMinutes();
      new cloudwatch.Alarm(this, 'NumberLookupFailingAlarm', {
        alarmDescription: `Twilio Lookup has been failing for ${LOOKUP_FAILING_FOR.toMinutes()} minutes: automated texts are held`,
        metric: failures.metric({ period: LOOKUP_PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }

    const period = Duration.minutes(5);
    const statusCount = (id: string, status: number) =>
      new logs.MetricFilter(this, id, {
        logGroup: props.accessLogs,
        metricNamespace: METRIC_NAMESPACE,
        metricName: `Http${status}`,
        filterPattern: logs.FilterPattern.stringValue('$.status', '=', String(status)),
        metricValue: '1',
        defaultValue: 0,
      }).metric({ period, statistic: cloudwatch.Stats.SUM });
    alarm('UnauthorizedSpikeAlarm', {
      alarmDescription: `more than ${FLOOD_THRESHOLDS.unauthorized} answers 401 in 5 minutes: someone is trying keys`,
      metric: statusCount('Http401Filter', 401),
      threshold: FLOOD_THRESHOLDS.unauthorized,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    alarm('ThrottledAlarm', {
      alarmDescription:
        'API Gateway answered 429: a route limit was reached (a flood, or real traffic outgrowing it)',
      metric: statusCount('Http429Filter', 429),
      threshold: FLOOD_THRESHOLDS.throttled,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    const apiMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.api.apiId },
        period,
        statistic: cloudwatch.Stats.SUM,
      });
    alarm('ClientErrorRateAlarm', {
      alarmDescription: `more than ${FLOOD_THRESHOLDS.clientErrorRate * 100}% of requests answered 4xx`,
      metric: new cloudwatch.MathExpression({
        expression: `IF(requests >= ${FLOOD_THRESHOLDS.clientErrorMinimumRequests}, errors / requests, 0)`,
        usingMetrics: { errors: apiMetric('4xx'), requests: apiMetric('Count') },
        period,
      }),
      threshold: FLOOD_THRESHOLDS.clientErrorRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    // Failed admin authentications, from every function that accepts the admin key.
    const adminFailures = Object.entries(props.functions)
      .filter(([key]) => functionAccess[key]?.secrets?.includes('admin'))
      .map(
        ([key, fn]) =>
          new logs.MetricFilter(this, `${functionConstructId(key)}AdminAuthFilter`, {
            logGroup: fn.logGroup,
            metricNamespace: METRIC_NAMESPACE,
            metricName: 'AdminAuthFailures',
            filterPattern: logs.FilterPattern.stringValue('$.event', '=', ADMIN_AUTH_FAILED),
            metricValue: '1',
            defaultValue: 0,
          }),
      );
    if (adminFailures.length > 0) {
      alarm('AdminAuthFailuresAlarm', {
        alarmDescription: `${FLOOD_THRESHOLDS.adminAuthFailures} or more failed admin authentications in 5 minutes`,
        metric: adminFailures[0]!.metric({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: FLOOD_THRESHOLDS.adminAuthFailures,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }

    // The stream watcher is invoked only for a MODIFY or REMOVE on an append-only table.
    for (const key of streamFunctions) {
      const watcher = props.functions[key];
      if (watcher === undefined) continue;
      alarm('AppendOnlyChangedAlarm', {
        alarmDescription:
          'a ledger, opt-out or blackout record was changed or removed (see the append-only-watch logs)',
        metric: watcher.metricInvocations({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    for (const [key, fn] of Object.entries(props.functions)) {
      const id = functionConstructId(key);
      alarm(`${id}ErrorsAlarm`, {
        alarmDescription: `${key}: the function failed`,
        metric: fn.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
      alarm(`${id}ThrottlesAlarm`, {
        alarmDescription: `${key}: invocations were throttled`,
        metric: fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
  }
}
