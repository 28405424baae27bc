import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBServiceException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerServiceException, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSServiceException, type SQSClient } from '@aws-sdk/client-sqs';
// The single source of what each function is granted (lib/ builds the IAM policies from it).
import { functionAccess } from '../../lib/function-access';
import { APPEND_ONLY_DENIED_ACTIONS } from '../../lib/iam-actions';
import type { FunctionAccess } from '../handlers/route';
import { tableList, type TableDefinition, type TableNames } from '../adapters/dynamo/tables';

/**
 * IAM as the deployed functions meet it, for the local runtime: DynamoDB Local, fauxqs and the
 * Scheduler stand-in authorize nothing, so a use case touching a table its function was not
 * granted would pass every local test and fail on AWS with AccessDeniedException. Every request
 * made while a function runs ({@link runAs}) is checked against that function's grants, the same
 * grants lib/permissions.ts turns into its role's policy, and the append-only tables' resource
 * policy; a request it would not allow is refused as AWS refuses it, before it is sent. Requests
 * outside any function (a test's own setup, the runtime's pollers) are not checked.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */

type Running = { key: string; access: FunctionAccess };
const running = new AsyncLocalStorage<Running>();

/** Runs `work` as the function `key`: every AWS request it makes is checked against its grants. */
export function runAs<T>(key: string, work: () => T): T {
  const access = functionAccess[key];
  if (access === undefined) throw new Error(`runAs: no function ${key} is declared (lib/function-access.ts)`);
  return running.run({ key, access }, work);
}

/** One IAM action on one table (or one of its indexes) that a request needs. */
type Need = { action: string; table: string; attributes?: string[] };

/** Checks every request of the clients against the running function's grants. */
export function enforceFunctionAccess(
  clients: { dynamo: DynamoDBClient; sqs?: SQSClient; scheduler?: SchedulerClient },
  resources: { tables: TableNames; sendQueueUrl?: string; fallbackQueueUrl?: string },
): void {
  const byPhysical = new Map<string, TableDefinition>(
    tableList.map((definition) => [resources.tables[definition.logicalName], definition]),
  );
  clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = running.getStore();
      if (fn !== undefined) {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        for (const need of dynamoNeeds(operation, args.input as DynamoInput)) {
          const definition = byPhysical.get(need.table);
          const refusal = definition === undefined ? 'no such table' : refusedBy(fn.access, need, definition);
          if (refusal !== undefined) throw accessDenied(DynamoDBServiceException, fn.key, need, refusal);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'localFunctionAccess' },
  );
  clients.sqs?.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = running.getStore();
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (fn !== undefined && (operation === 'SendMessage' || operation === 'SendMessageBatch')) {
        const queueUrl = (args.input as { QueueUrl?: string }).QueueUrl;
        const granted =
          (queueUrl !== undefined && queueUrl === resources.sendQueueUrl && fn.access.enqueues === true) ||
          (queueUrl !== undefined && queueUrl === resources.fallbackQueueUrl && fn.access.captures === true);
        if (!granted)
          throw accessDenied(
            SQSServiceException,
            fn.key,
            { action: 'sqs:SendMessage', table: String(queueUrl) },
            'the queue is not one it may send to',
          );
      }
      return next(args);
    },
    { step: 'initialize', name: 'localFunctionAccess' },
  );
  clients.scheduler?.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = running.getStore();
      if (fn !== undefined && fn.access.schedules !== true) {
        const action = `scheduler:${(context.commandName ?? '').replace(/Command$/, '')}`;
        throw accessDenied(
          SchedulerServiceException,
          fn.key,
          { action, table: 'the release schedule group' },
          'it books no release',
        );
      }
      return next(args);
    },
    { step: 'initialize', name: 'localFunctionAccess' },
  );
}

type TableAction = { TableName?: string; IndexName?: string; UpdateExpression?: string } & {
  ExpressionAttributeNames?: Record<string, string>;
};
type DynamoInput = TableAction & {
  RequestItems?: Record<string, unknown>;
  TransactItems?: Array<Record<string, TableAction>>;
};

// What each transaction action is authorized as.
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

/** The actions a request needs: a transaction or a batch needs one per item's table. */
function dynamoNeeds(operation: string, input: DynamoInput): Need[] {
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return (input.TransactItems ?? []).flatMap((item) =>
      Object.entries(item).map(([kind, action]) => ({
        action: TRANSACT_ACTIONS[kind] ?? `dynamodb:${kind}`,
        table: action.TableName ?? '',
        ...(kind === 'Update' ? { attributes: updatedAttributes(action) } : {}),
      })),
    );
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.keys(input.RequestItems ?? {}).map((table) => ({ action: `dynamodb:${operation}`, table }));
  }
  return [
    {
      action: `dynamodb:${operation}`,
      table: input.TableName ?? '',
      ...(operation === 'UpdateItem' ? { attributes: updatedAttributes(input) } : {}),
    },
  ];
}

/** The attribute names an update expression touches (IAM's `dynamodb:Attributes` for an update). */
function updatedAttributes(action: TableAction): string[] {
  const names = action.ExpressionAttributeNames ?? {};
  return (action.UpdateExpression ?? '')
    .split(/[\s,=+\-()]+/)
    .filter(
      (token) =>
        /^[#A-Za-z_]/.test(token) && !/^(SET|REMOVE|ADD|DELETE|if_not_exists|list_append)$/i.test(token),
    )
    .map((token) => names[token.split('.')[0]!] ?? token.split('.')[0]!);
}

/** Why the grants refuse `need` (as lib/permissions.ts and the tables' policies grant), or undefined. */
function refusedBy(access: FunctionAccess, need: Need, definition: TableDefinition): string | undefined {
  const table = definition.logicalName;
  if (definition.appendOnly && APPEND_ONLY_DENIED_ACTIONS.includes(need.action))
    return 'the append-only table’s resource policy denies it to every principal';
  switch (need.action) {
    case 'dynamodb:GetItem':
    case 'dynamodb:BatchGetItem':
    case 'dynamodb:Query':
    case 'dynamodb:ConditionCheckItem':
      return access.reads.includes(table) ? undefined : `${table} is not among its reads`;
    case 'dynamodb:Scan':
      return access.scans?.includes(table) === true ? undefined : `${table} is not among its scans`;
    case 'dynamodb:PutItem':
      return access.writes.includes(table) ? undefined : `${table} is not among its writes`;
    case 'dynamodb:UpdateItem':
      if (!access.writes.includes(table)) return `${table} is not among its writes`;
      if (definition.retention !== undefined && need.attributes?.includes(definition.retention))
        return `an update may not name ${definition.retention}, the retention TTL (explicit deny)`;
      return undefined;
    default:
      return `no function is granted ${need.action}`;
  }
}

type ServiceException = new (options: {
  name: string;
  $fault: 'client';
  $metadata: { httpStatusCode: number };
  message: string;
}) => Error;

function accessDenied(Exception: ServiceException, key: string, need: Need, why: string): Error {
  return new Exception({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `User: arn:aws:sts::000000000000:assumed-role/consentline-${key}/${key} is not authorized to perform: ${need.action} on resource: ${need.table} because no identity-based policy allows the ${need.action} action (${why})`,
  });
}
