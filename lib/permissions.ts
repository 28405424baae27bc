import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { tableList } from '../lambdas/adapters/dynamo/tables';
import type { FunctionAccess } from './function-access';
import { APPEND_ONLY_WRITE_ACTIONS, MUTABLE_WRITE_ACTIONS, READ_ACTIONS } from './iam-actions';
import type { ConsentLineStateful } from './stateful';

export { APPEND_ONLY_WRITE_ACTIONS, MUTABLE_WRITE_ACTIONS, READ_ACTIONS } from './iam-actions';

/**
 * Grants `grantee` exactly `access`, with explicit statements rather than the tables' `grant*`
 * helpers (whose write grants include DeleteItem and BatchWriteItem):
 * - the tables in `access.reads` and their named indexes: {@link READ_ACTIONS};
 * - the tables in `access.writes`: {@link APPEND_ONLY_WRITE_ACTIONS} on append-only ones,
 *   {@link MUTABLE_WRITE_ACTIONS} on the others, and on a table with a retention TTL an explicit
 *   deny of any update that names the TTL attribute (a record's expiry is set once, at creation);
 * - `access.secrets`: read of the admin secret and its pepper, or of the Twilio secret;
 * - `enqueues`: `sqs:SendMessage` on the send queue;
 * - `schedules`: `scheduler:CreateSchedule` in the release group and `iam:PassRole` of the
 *   scheduler role, to Scheduler only.
 */
export function grantFunctionAccess(
  grantee: iam.IGrantable,
  access: FunctionAccess,
  stateful: ConsentLineStateful,
): void {
  const principal = grantee.grantPrincipal;
  for (const definition of tableList) {
    const table = stateful.tables[definition.logicalName];
    if (access.reads.includes(definition.logicalName)) {
      principal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: READ_ACTIONS,
          resources: [
            table.tableArn,
            ...definition.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
          ],
        }),
      );
    }
    if (access.scans?.includes(definition.logicalName)) {
      principal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [table.tableArn] }),
      );
    }
    if (!access.writes.includes(definition.logicalName)) continue;
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: definition.appendOnly ? APPEND_ONLY_WRITE_ACTIONS : MUTABLE_WRITE_ACTIONS,
        resources: [table.tableArn],
      }),
    );
    if (definition.retention !== undefined) {
      principal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['dynamodb:UpdateItem'],
          resources: [table.tableArn],
          // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
          conditions: { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': [definition.retention] } },
        }),
      );
    }
  }

  for (const secret of access.secrets ?? []) {
    if (secret === 'admin') {
      stateful.adminSecret.grantRead(grantee);
      stateful.adminPepperSecret.grantRead(grantee);
    } else {
      stateful.twilioSecret.grantRead(grantee);
    }
  }

  if (access.enqueues === true) {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [stateful.sendQueue.queueArn] }),
    );
  }

  if (access.captures === true) {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [stateful.smsFallbackQueue.queueArn],
      }),
    );
  }

  if (access.schedules === true) {
    const releaseSchedules = Stack.of(stateful).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${stateful.schedulerGroup.scheduleGroupName}/*`,
    });
    principal.addToPrincipalPolicy(
      // GetSchedule: a name conflict is confirmed against the stored schedule, never assumed.
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:GetSchedule'],
        resources: [releaseSchedules],
      }),
    );
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [stateful.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
}
