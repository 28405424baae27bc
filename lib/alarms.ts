import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NUMBER_LOOKUP_FAILED } from '../lambdas/usecases/number-check';
import { functionConstructId } from './app-function';

export type ConsentLineAlarmsProps = {
  functions: Record<string, NodejsFunction>;
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

    for (const [key, fn] of Object.entries(props.functions)) {
      const id = functionConstructId(key);
      const period = Duration.minutes(5);
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
