import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { ConsentLineStack } from './consentline-stack';

/**
 * The cdk-nag AwsSolutions findings ConsentLine accepts, each with its reason. Everything else
 * is fixed in the constructs (PITR, SSE and TLS-only queues, access logs, log groups scoped per
 * function instead of AWSLambdaBasicExecutionRole, exact index ARNs instead of `index/*`).
 */
export function suppressNagFindings(stack: ConsentLineStack): void {
  const all = (type: new (...args: never[]) => IConstruct) =>
    stack.node.findAll().filter((construct) => construct instanceof type);

  NagSuppressions.addResourceSuppressions(all(CfnRoute), [
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route authenticates in its handler: agent and admin routes check an API key against ' +
        'its sha256 hash (a Lambda authorizer would add a cold start and a second lookup per call), ' +
        'Twilio webhooks verify the X-Twilio-Signature HMAC over the public URL, and /openapi.json is public.',
    },
  ]);

  NagSuppressions.addResourceSuppressions(all(CfnFunction), [
    {
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the supported LTS runtime the bundles target (esbuild target node22); moving ' +
        'to a newer runtime is a deliberate change with its own test run, not an automatic one.',
    },
  ]);

  NagSuppressions.addResourceSuppressions(all(CfnPolicy), [
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'Release schedules are created at run time, one per (message, release second), so their ' +
        "names cannot be listed; scheduler:CreateSchedule is confined to the app's release group.",
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:scheduler:.*:schedule\\/.*\\/\\*$/g' }],
    },
  ]);

  NagSuppressions.addResourceSuppressions(stack.stateful.schedulerDeadLetterQueue, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: EventBridge Scheduler's, for releases and sweep " +
        'runs it could not deliver. It has no consumer; an alarm fires on its first message.',
    },
  ]);

  NagSuppressions.addResourceSuppressions(stack.stateful.appSecret, [
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds the Twilio account SID and auth token and the admin key hash. Twilio tokens ' +
        'are rotated in the Twilio console (secondary token, then promote) and the admin key by its ' +
        'owner; the operator then updates this secret (README, "Deploy"). No rotation Lambda can do it.',
    },
  ]);
}
