import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { ConsentLineStateful } from './stateful';

/** A role EventBridge Scheduler assumes; only this account's schedules may assume it (confused-deputy guard). */
export function schedulerRole(scope: Construct, id: string, description: string): iam.Role {
  return new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
}

/**
 * Invokes `fn` at `rate` from the default Scheduler group (the release group holds only
 * releases), through a role that may invoke only `fn`. A failed invocation is retried twice
 * within 4 minutes, so it never overlaps the next 5-minute run, then parked on the Scheduler
 * dead-letter queue. Construct ids are `${idPrefix}InvokerRole` and `${idPrefix}Schedule`.
 */
export function invokeOnSchedule(
  scope: Construct,
  props: {
    fn: NodejsFunction;
    stateful: ConsentLineStateful;
    rate: string;
    idPrefix: string;
    /** What the schedule does, shown on the schedule. */
    description: string;
    /** Who the role lets Scheduler invoke, shown on the role. */
    roleDescription: string;
  },
): void {
  const { fn, stateful } = props;
  const invoker = schedulerRole(scope, `${props.idPrefix}InvokerRole`, props.roleDescription);
  invoker.addToPolicy(
    new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
  );
  stateful.schedulerDeadLetterQueue.grantSendMessages(invoker);

  new scheduler.CfnSchedule(scope, `${props.idPrefix}Schedule`, {
    description: props.description,
    scheduleExpression: props.rate,
    flexibleTimeWindow: { mode: 'OFF' },
    target: {
      arn: fn.functionArn,
      roleArn: invoker.roleArn,
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 240 },
      deadLetterConfig: { arn: stateful.schedulerDeadLetterQueue.queueArn },
    },
  });
}
