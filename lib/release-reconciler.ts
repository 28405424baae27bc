import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { RECONCILER_METRIC } from '../lambdas/handlers/schedule/release-reconciler';
import { invokeOnSchedule } from './scheduler-invoke';
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
    invokeOnSchedule(this, {
      ...props,
      rate: RATE,
      idPrefix: '',
      description: 'ConsentLine: requeue held texts past their release',
      roleDescription: 'EventBridge Scheduler invokes the ConsentLine release reconciler',
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
