import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  tableList,
  type KeyAttribute,
  type TableDefinition,
  type TableName,
} from '../lambdas/adapters/dynamo/tables';
import { SEND_QUEUE_MAX_RECEIVES } from '../lambdas/adapters/sqs/send-queue';
import { schedulerRole } from './scheduler-invoke';
import { APPEND_ONLY_DENIED_ACTIONS } from './iam-actions';

/** Every queue here: messages kept 14 days, encrypted, TLS only, kept when the stack goes. */
const RETAINED_QUEUE = {
  retentionPeriod: Duration.days(14),
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.RETAIN,
} satisfies sqs.QueueProps;

/** The longest a send-worker invocation may run; the queue's visibility timeout is derived from it. */
export const WORKER_TIMEOUT = Duration.seconds(30);

/**
 * The resources that hold data and outlive any deployment of the code: the tables (built from the
 * shared definitions in `lambdas/adapters/dynamo/tables.ts`), the FIFO send queue and its
 * dead-letter queue, the Scheduler group with its role and dead-letter queue, and the secrets.
 * Everything here is retained when the stack is deleted.
 */
export class ConsentLineStateful extends Construct {
  readonly tables: Record<TableName, dynamodb.Table>;
  readonly sendQueue: sqs.Queue;
  readonly sendDeadLetterQueue: sqs.Queue;
  /** Holds the one-time release schedules of held messages; retained, or pending releases would vanish. */
  readonly schedulerGroup: scheduler.ScheduleGroup;
  /** The role Scheduler assumes to put released messages on the send queue. */
  readonly schedulerRole: iam.Role;
  /** Where Scheduler parks a release (or a sweep invocation) it could not deliver after its retries. */
  readonly schedulerDeadLetterQueue: sqs.Queue;
  /** Inbound webhooks the SMS Fallback URL captured, waiting for the fallback processor. */
  readonly smsFallbackQueue: sqs.Queue;
  readonly smsFallbackDeadLetterQueue: sqs.Queue;
  /** JSON `{ adminKeyHmac }`: the admin key's HMAC under the pepper (`consentline admin init`). */
  readonly adminSecret: secretsmanager.Secret;
  /** JSON `{ pepper }`, generated here; only the functions that accept the admin key read it. */
  readonly adminPepperSecret: secretsmanager.Secret;
  /** JSON `{ accountSid, authToken }`: only the functions that call Twilio or verify its signatures read it. */
  readonly twilioSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.tables = {} as Record<TableName, dynamodb.Table>;
    for (const definition of tableList) {
      this.tables[definition.logicalName] = this.table(definition);
    }

    this.sendDeadLetterQueue = new sqs.Queue(this, 'SendDeadLetterQueue', {
      fifo: true,
      ...RETAINED_QUEUE,
    });
    // Same settings as the local runtime's queue (lambdas/local/local-queues.ts). Content-based
    // deduplication: Scheduler's FIFO targets send no deduplication id.
    this.sendQueue = this.workerQueue('SendQueue', this.sendDeadLetterQueue, {
      fifo: true,
      contentBasedDeduplication: true,
    });

    // A captured inbound text may be an opt-out: kept 14 days, dead-lettered (and alarmed) after 5 tries.
    this.smsFallbackDeadLetterQueue = new sqs.Queue(this, 'SmsFallbackDeadLetterQueue', {
      ...RETAINED_QUEUE,
    });
    this.smsFallbackQueue = this.workerQueue('SmsFallbackQueue', this.smsFallbackDeadLetterQueue);

    this.schedulerDeadLetterQueue = new sqs.Queue(this, 'SchedulerDeadLetterQueue', {
      ...RETAINED_QUEUE,
    });
    this.schedulerGroup = new scheduler.ScheduleGroup(this, 'ReleaseScheduleGroup', {
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.schedulerRole = schedulerRole(
      this,
      'SchedulerRole',
      'EventBridge Scheduler puts released messages on the ConsentLine send queue',
    );
    this.sendQueue.grantSendMessages(this.schedulerRole);
    this.schedulerDeadLetterQueue.grantSendMessages(this.schedulerRole);

    // Placeholders fail the functions' validation until the operator fills them in (README, "Deploy").
    this.adminSecret = new secretsmanager.Secret(this, 'AdminSecret', {
      description: 'ConsentLine: adminKeyHmac, the HMAC-SHA256 of the admin key under AdminPepperSecret',
      secretObjectValue: { adminKeyHmac: SecretValue.unsafePlainText('fill-me-in') },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.adminPepperSecret = new secretsmanager.Secret(this, 'AdminPepperSecret', {
      description:
        'ConsentLine: the pepper of the admin key HMAC (generated; read it for consentline admin init)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'pepper',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.twilioSecret = new secretsmanager.Secret(this, 'TwilioSecret', {
      description: 'ConsentLine: the Twilio accountSid and authToken',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ accountSid: 'AC-fill-me-in' }),
        generateStringKey: 'authToken',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * A queue a worker function consumes: visible again 6× the worker's timeout after a receive (AWS
   * asks for 6×), moved to `deadLetterQueue` after the receives a message is allowed.
   */
  private workerQueue(id: string, deadLetterQueue: sqs.Queue, props: sqs.QueueProps = {}): sqs.Queue {
    return new sqs.Queue(this, id, {
      ...props,
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: SEND_QUEUE_MAX_RECEIVES },
      ...RETAINED_QUEUE,
    });
  }

  /** One table of the shared definitions: on demand, PITR, AWS-managed encryption, retained, undeletable. */
  private table(definition: TableDefinition): dynamodb.Table {
    const table = new dynamodb.Table(this, tableConstructId(definition.logicalName), {
      partitionKey: attribute(definition.partitionKey),
      sortKey: definition.sortKey && attribute(definition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      deletionProtection: true,
      // Append-only tables: AWS itself refuses to change or remove an item, whoever asks.
      resourcePolicy: definition.appendOnly ? appendOnlyPolicy() : undefined,
      // Every change is on the stream; on an append-only table a MODIFY or REMOVE raises an alarm.
      stream: definition.appendOnly ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
      // Append-only tables (ledger, opt-outs) are the compliance record; the others hold receipts
      // and enrollment state nobody can recreate. None is ever dropped with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: index.sortKey && attribute(index.sortKey),
        projectionType:
          index.projection === 'KEYS_ONLY' ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }
}

/** `ledger` → `LedgerTable`: the construct id (and logical-id prefix) of a table. */
export function tableConstructId(name: TableName): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}Table`;
}

export { APPEND_ONLY_DENIED_ACTIONS } from './iam-actions';

function appendOnlyPolicy(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AppendOnly',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: APPEND_ONLY_DENIED_ACTIONS,
        // A table's policy applies to that table; its own ARN would be a circular reference.
        resources: ['*'],
      }),
    ],
  });
}

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return {
    name: key.name,
    type: key.type === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING,
  };
}
