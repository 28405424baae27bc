import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { httpRoutes } from '../lambdas/handlers/routes';
import { ConsentLineAlarms } from './alarms';
import { ConsentLineAuditExport } from './audit-export';
import { ConsentLineEdge } from './edge';
import { functionConstructId } from './app-function';
import { suppressNagFindings } from './nag-suppressions';
import { ConsentLineStateful } from './stateful';
import { ConsentLineStateless } from './stateless';

export type ConsentLineStackProps = StackProps & {
  /** The URL Twilio calls, when a custom domain fronts the distribution; its own domain by default. */
  publicBaseUrl?: string;
  /**
   * A CLOUDFRONT-scope web ACL from the `ConsentLineEdgeWaf` stack (us-east-1); without it the
   * web ACL is made in this stack, which must then be in us-east-1 (lib/edge.ts).
   */
  webAclArn?: string;
  /** Reserved concurrency by function key, over the defaults of lib/stateless.ts. */
  reservedConcurrency?: Record<string, number>;
};

/** The ConsentLine deployment: stateful parts (tables, queues) and the functions that use them. */
export class ConsentLineStack extends Stack {
  readonly stateful: ConsentLineStateful;
  readonly stateless: ConsentLineStateless;
  readonly alarms: ConsentLineAlarms;
  /** CloudFront + WAF in front of the API (the console's bucket joins it as the default behaviour). */
  edge!: ConsentLineEdge;

  constructor(scope: Construct, id: string, props: ConsentLineStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('app', 'consentline');

    this.stateful = new ConsentLineStateful(this, 'Stateful');
    this.stateless = new ConsentLineStateless(this, 'Stateless', {
      stateful: this.stateful,
      reservedConcurrency: props.reservedConcurrency,
      publicBaseUrl: (api) => {
        this.edge = new ConsentLineEdge(this, 'Edge', { api, webAclArn: props.webAclArn });
        return props.publicBaseUrl ?? this.edge.url;
      },
    });
    this.alarms = new ConsentLineAlarms(this, 'Alarms', {
      functions: this.stateless.functions,
      sendQueue: this.stateful.sendQueue,
      api: this.stateless.api,
      accessLogs: this.stateless.accessLogs,
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

    const baseUrl = this.stateless.publicBaseUrl;
    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the ConsentLine API', value: baseUrl });
    for (const route of httpRoutes.filter((candidate) => candidate.path.startsWith('/twilio/'))) {
      new CfnOutput(this, `${functionConstructId(route.path)}WebhookUrl`, {
        description: `Twilio webhook: ${route.method} ${route.path}`,
        value: `${baseUrl}${route.path}`,
      });
    }
    new CfnOutput(this, 'AdminSecretArn', {
      description: 'Fill in {"adminKeyHmac": …} from consentline admin init (README, "Deploy")',
      value: this.stateful.adminSecret.secretArn,
    });
    new CfnOutput(this, 'AdminPepperSecretArn', {
      description: 'Generated; pass it to consentline admin init --pepper-file',
      value: this.stateful.adminPepperSecret.secretArn,
    });
    new CfnOutput(this, 'TwilioSecretArn', {
      description: 'Fill in {"accountSid": "AC…", "authToken": …} (README, "Deploy")',
      value: this.stateful.twilioSecret.secretArn,
    });
    new CfnOutput(this, 'ApiOriginUrl', {
      description: 'The API behind the distribution (not for Twilio: it bypasses WAF)',
      value: this.stateless.apiEndpoint,
    });
    new CfnOutput(this, 'SendQueueUrl', { value: this.stateful.sendQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe an email or pager to this topic',
      value: this.alarms.topic.topicArn,
    });
  }
}
