import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
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
};

// RULES §2: an opt-out confirmation goes out within 5 minutes, so a send waiting longer is news.
const OLDEST_SEND_AGE = Duration.minutes(5);

/**
 * CloudWatch alarms, all notifying one SNS topic the operator subscribes to: a message on any
 * dead-letter queue, a send queue that stops draining, and every function's errors and throttles.
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

    alarm('SendQueueAgeAlarm', {
      alarmDescription: `the oldest send has waited more than ${OLDEST_SEND_AGE.toMinutes()} minutes`,
      metric: props.sendQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: OLDEST_SEND_AGE.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

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
          'a ledger or opt-out record was changed or removed (see the append-only-watch logs)',
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
