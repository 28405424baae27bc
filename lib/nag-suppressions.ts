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

  NagSuppressions.addResourceSuppressions(
    [stack.stateful.adminSecret, stack.stateful.adminPepperSecret, stack.stateful.twilioSecret],
    [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Twilio tokens are rotated in the Twilio console (secondary token, then promote) and the admin ' +
          'key with consentline admin init; the operator then updates the secret, and every function ' +
          'reads it through a 5-minute cache (README, "Security"). No rotation Lambda can do either.',
      },
    ],
  );

  const watcherRole = stack.stateless.functions['append-only-watch']?.role;
  NagSuppressions.addResourceSuppressions(
    watcherRole === undefined ? [] : [watcherRole],
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'dynamodb:ListStreams has no resource-level permission (it is granted on *) and is what the ' +
          'DynamoDB event source of the append-only watcher needs to find its stream.',
        appliesTo: ['Resource::*'],
      },
    ],
    true,
  );

  NagSuppressions.addResourceSuppressions(stack.edge.distribution, [
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'Twilio calls the webhooks from its own worldwide addresses, and agents travel: no geo restriction ' +
        'can be drawn without refusing real STOPs. The WAF rate rules per IP carry the protection.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'Every request the distribution forwards is in the API access log (JSON, one year); WAF records ' +
        'sampled blocked requests and per-rule metrics. A second log bucket would duplicate them.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses its default *.cloudfront.net certificate, for which CloudFront fixes the ' +
        'viewer security policy; with a custom domain and ACM certificate, TLSv1.2_2021 is set.',
    },
  ]);
}
