import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { tableList, type TableName } from '../../lambdas/adapters/dynamo/tables';
import { ConsentLineAuditExport } from '../../lib/audit-export';

function template(): Template {
  const stack = new Stack(new App(), 'AuditExportTest');
  const tables = {} as Record<TableName, dynamodb.Table>;
  for (const definition of tableList) {
    tables[definition.logicalName] = new dynamodb.Table(stack, definition.logicalName, {
      partitionKey: { name: definition.partitionKey.name, type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
  }
  new ConsentLineAuditExport(stack, 'AuditExport', { tables });
  return Template.fromStack(stack);
}

describe('ConsentLineAuditExport', () => {
  const synthesized = template();

  it('defines a Glue table per audited table over DynamoDB JSON export lines', () => {
    expect(Object.keys(synthesized.findResources('AWS::Glue::Table'))).toHaveLength(3);
    synthesized.resourceCountIs('AWS::Glue::Database', 1);
    for (const name of ['messages', 'messageEvents', 'ledger'] as const) {
      const key = tableList.find((table) => table.logicalName === name)?.partitionKey.name;
      synthesized.hasResourceProperties('AWS::Glue::Table', {
        DatabaseName: 'consentline_audit',
        TableInput: Match.objectLike({
          Name: name,
          StorageDescriptor: Match.objectLike({
            SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' }),
            Columns: [
              {
                Name: 'item',
                Type: Match.stringLikeRegexp(`^struct<.*${key?.toLowerCase()}:struct<s:string>`),
              },
            ],
          }),
        }),
      });
    }
  });

  it('keeps the exports private, encrypted and TLS-only, and grants the export to admins only', () => {
    expect(Object.keys(synthesized.findResources('AWS::S3::Bucket'))).toHaveLength(1);
    synthesized.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
      BucketEncryption: Match.anyValue(),
    });
    synthesized.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Action: 'dynamodb:ExportTableToPointInTime' })]),
      }),
    });
    synthesized.resourceCountIs('AWS::IAM::Role', 0);
  });
});
