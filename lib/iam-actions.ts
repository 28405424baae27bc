/**
 * The IAM actions behind a function's declared access (`FunctionAccess`) and the append-only
 * tables' resource policy: granted by permissions.ts and stateful.ts, enforced again by the local
 * runtime's access stand-in (lambdas/local/access-standin.ts), since DynamoDB Local checks none.
 * No CDK import here, so the local runtime can read them.
 */

/**
 * Reads the application does: GetItem and Query, BatchGetItem, and ConditionCheckItem for the
 * condition-only actions of a transaction. No Scan, but for the one function declared to list the
 * agents (`scans` in function-access.ts).
 */
export const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
/** The only write on an append-only table: a conditional Put of a new item (also inside TransactWriteItems). */
export const APPEND_ONLY_WRITE_ACTIONS = ['dynamodb:PutItem'];
/** Writes on mutable tables. Still no DeleteItem and no BatchWriteItem (a batch write can delete). */
export const MUTABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];

/**
 * Writes no principal may perform on an append-only table, the account's root and CloudFormation
 * included: in-place updates, deletes (single, batched, PartiQL) and PartiQL writes. IAM has no
 * condition key that sees a ConditionExpression, so an unconditioned PutItem over an existing item
 * cannot be denied here: the code always conditions its puts, the hash chains make an overwrite
 * fail verification, and the stream alarm fires on the MODIFY it produces.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html
 */
export const APPEND_ONLY_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];
