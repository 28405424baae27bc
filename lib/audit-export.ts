import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { TableName } from '../lambdas/adapters/dynamo/tables';

export type AuditExportProps = {
  /** The stateful tables; each has point-in-time recovery on, which an export needs. */
  tables: Record<TableName, dynamodb.Table>;
};

/** Columns Athena reads from a DynamoDB JSON export line, `{"Item":{"<name>":{"S":"…"}}}`. */
type Columns = Record<string, 'S' | 'N'>;

// The audit questions (RULES §6): what was sent to a phone, by an agent in a month, every
// opt-out of a day, and the consent behind a text. Attributes as the adapters write them.
const EXPORTED: Partial<Record<TableName, Columns>> = {
  messages: {
    messageId: 'S',
    agentId: 'S',
    phone: 'S',
    kind: 'S',
    purpose: 'S',
    status: 'S',
    body: 'S',
    sentBody: 'S',
    createdAt: 'S',
    updatedAt: 'S',
    twilioSid: 'S',
    errorCode: 'S',
    releaseAt: 'S',
  },
  // A text's entries of statuses that can recur (scheduled, queued, held, sending), put-only, in
  // `entry` order; its `sent` and final entries are on the message item.
  messageEvents: {
    messageId: 'S',
    entry: 'S',
    status: 'S',
    at: 'S',
    twilioSid: 'S',
    errorCode: 'S',
  },
  // One item collection per phone: consent events (`chain#…`), opt-outs (`optout#…`) and the
  // derived state (`state`), told apart by `entry`.
  ledger: {
    entry: 'S',
    chainId: 'S',
    seq: 'N',
    id: 'S',
    agentId: 'S',
    phone: 'S',
    channel: 'S',
    type: 'S',
    at: 'S',
    method: 'S',
    evidence: 'S',
    capturedBy: 'S',
    recordedAt: 'S',
    prevHash: 'S',
    hash: 'S',
    source: 'S',
    words: 'S',
    messageSid: 'S',
    revocationId: 'S',
  },
};

const EXPORT_RETENTION = Duration.days(6 * 365);

/**
 * Audits that outgrow single queries: the tables exported to S3 with DynamoDB's point-in-time
 * export (no read capacity used, the table untouched) and a Glue database with one table per
 * export, so Athena answers SQL over years of messages, opt-outs and consent events.
 *
 * An admin starts an export (README, "Audit queries"); the policy `AuditExportPolicy` grants
 * exactly that and reading the results.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.HowItWorks.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
 */
export class ConsentLineAuditExport extends Construct {
  readonly bucket: s3.Bucket;
  readonly database: glue.CfnDatabase;
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AuditExportProps) {
    super(scope, id);
    const { account } = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // The exports are copies of the compliance record: kept as long as the log (RULES §6).
      lifecycleRules: [{ expiration: EXPORT_RETENTION, noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Written only by DynamoDB exports an admin starts; CloudTrail records who exported and read what.',
      },
    ]);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: 'consentline_audit',
        description: 'ConsentLine tables exported from DynamoDB (point-in-time), for Athena',
      },
    });
    for (const [name, columns] of Object.entries(EXPORTED) as Array<[TableName, Columns]>) {
      const table = new glue.CfnTable(this, `${name}Table`, {
        catalogId: account,
        databaseName: 'consentline_audit',
        tableInput: {
          name,
          tableType: 'EXTERNAL_TABLE',
          description: `${name}: lines of a DynamoDB JSON export; point LOCATION at an export's data/ folder`,
          parameters: { classification: 'json', compressionType: 'gzip' },
          storageDescriptor: {
            // The export's data files; after each export, Athena's table is pointed at
            // s3://<bucket>/<name>/AWSDynamoDB/<export id>/data/ (README).
            location: this.bucket.s3UrlForObject(`${name}/`),
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
              parameters: { 'ignore.malformed.json': 'true' },
            },
            columns: [{ name: 'item', type: itemType(columns) }],
          },
        },
      });
      table.addResourceDependency(this.database);
    }

    const tableArns = Object.values(props.tables).map((table) => table.tableArn);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Start point-in-time exports of the ConsentLine tables to the audit bucket and read them',
      statements: [
        new iam.PolicyStatement({
          actions: ['dynamodb:ExportTableToPointInTime'],
          resources: tableArns,
        }),
        new iam.PolicyStatement({
          actions: ['dynamodb:DescribeExport', 'dynamodb:ListExports'],
          resources: tableArns.map((arn) => `${arn}/export/*`),
        }),
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject', 's3:ListBucket'],
          resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        }),
      ],
    });
    NagSuppressions.addResourceSuppressions(this.policy, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Export ids and object keys are chosen by DynamoDB at export time; scoped to our tables and bucket.',
      },
    ]);

    new CfnOutput(Stack.of(this), 'AuditExportBucket', {
      description: 'S3 bucket for point-in-time exports of the tables (Athena: database consentline_audit)',
      value: this.bucket.bucketName,
    });
    new CfnOutput(Stack.of(this), 'AuditExportPolicyArn', {
      description: 'Attach to the admins who run audit exports',
      value: this.policy.managedPolicyArn,
    });
  }
}

/** `struct<messageId:struct<s:string>,…>`: DynamoDB JSON's type letters as Athena sees them. */
function itemType(columns: Columns): string {
  const fields = Object.entries(columns).map(
    ([name, type]) => `${name.toLowerCase()}:struct<${type.toLowerCase()}:string>`,
  );
  return `struct<${fields.join(',')}>`;
}
