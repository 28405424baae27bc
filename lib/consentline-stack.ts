import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { httpRoutes } from '../lambdas/handlers/routes';
import { ConsentLineAlarms } from './alarms';
import { ConsentLineAuditExport } from './audit-export';
import { functionConstructId } from './app-function';
import { suppressNagFindings } from './nag-suppressions';
import { ConsentLineStateful } from './stateful';
import { ConsentLineStateless } from './stateless';

export type ConsentLineStackProps = StackProps & {
  /** The URL Twilio calls, when a custom domain fronts the API; the API's endpoint by default. */
  publicBaseUrl?: string;
};

/** The ConsentLine deployment: stateful parts (tables, queues) and the functions that use them. */
export class ConsentLineStack extends Stack {
  readonly stateful: ConsentLineStateful;
  readonly stateless: ConsentLineStateless;
  readonly alarms: ConsentLineAlarms;

  constructor(scope: Construct, id: string, props: ConsentLineStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('app', 'consentline');

    this.stateful = new ConsentLineStateful(this, 'Stateful');
    this.stateless = new ConsentLineStateless(this, 'Stateless', {
      stateful: this.stateful,
      publicBaseUrl: props.publicBaseUrl,
    });
    this.alarms = new ConsentLineAlarms(this, 'Alarms', {
      functions: this.stateless.functions,
      sendQueue: this.stateful.sendQueue,
      deadLetterQueues: {
        SendDeadLetterQueue: this.stateful.sendDeadLetterQueue,
        SchedulerDeadLetterQueue: this.stateful.schedulerDeadLetterQueue,
        SmsFallbackDeadLetterQueue: this.stateful.smsFallbackDeadLetterQueue,
      },
      drainingQueues: {
        SmsFallbackQueue: {
          queue: this.stateful.smsFallbackQueue,
          minutes: 5,
          description:
            'inbound texts captured by the Fallback URL have waited 5 minutes without being applied',
        },
      },
      zeroMetrics: {
        OverdueHeldMessages: {
          metric: this.stateless.releaseReconciler.overdueMetric,
          description:
            'held texts found more than 5 minutes past their release: a release schedule went missing',
        },
      },
    });
    new ConsentLineAuditExport(this, 'AuditExport', { tables: this.stateful.tables });
    suppressNagFindings(this);

    const baseUrl = props.publicBaseUrl ?? this.stateless.apiEndpoint;
    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the ConsentLine API', value: baseUrl });
    for (const route of httpRoutes.filter((candidate) => candidate.path.startsWith('/twilio/'))) {
      new CfnOutput(this, `${functionConstructId(route.path)}WebhookUrl`, {
        description: `Twilio webhook: ${route.method} ${route.path}`,
        value: `${baseUrl}${route.path}`,
      });
    }
    new CfnOutput(this, 'AppSecretArn', {
      description: 'Fill in accountSid, authToken, adminKeyHash, publicBaseUrl (README, "Deploy")',
      value: this.stateful.appSecret.secretArn,
    });
    new CfnOutput(this, 'SendQueueUrl', { value: this.stateful.sendQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe an email or pager to this topic',
      value: this.alarms.topic.topicArn,
    });
  }
}
