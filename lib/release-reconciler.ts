import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { RECONCILER_METRIC } from '../lambdas/handlers/schedule/release-reconciler';
import type { ConsentLineStateful } from './stateful';

export type ReleaseReconcilerProps = { fn: NodejsFunction; stateful: ConsentLineStateful };

const RATE = 'rate(5 minutes)';

/**
 * Runs the release reconciler every 5 minutes and exposes the alarm on what it finds: a held
 * text more than 5 minutes past its release means its schedule went missing.
 */
export class ReleaseReconciler extends Construct {
  /** Held texts found past their release per run; any value above 0 is an incident. */
  readonly overdueMetric: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: ReleaseReconcilerProps) {
    super(scope, id);
    const { fn, stateful } = props;
    const invoker = new iam.Role(this, 'InvokerRole', {
      description: 'EventBridge Scheduler invokes the ConsentLine release reconciler',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    invoker.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
    stateful.schedulerDeadLetterQueue.grantSendMessages(invoker);

    new scheduler.CfnSchedule(this, 'Schedule', {
      description: 'ConsentLine: requeue held texts past their release',
      scheduleExpression: RATE,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: fn.functionArn,
        roleArn: invoker.roleArn,
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 240 },
        deadLetterConfig: { arn: stateful.schedulerDeadLetterQueue.queueArn },
      },
    });

    this.overdueMetric = new cloudwatch.Metric({
      namespace: RECONCILER_METRIC.namespace,
      metricName: RECONCILER_METRIC.name,
      dimensionsMap: { service: 'consentline' },
      period: Duration.minutes(5),
      statistic: cloudwatch.Stats.MAXIMUM,
    });
  }
}
