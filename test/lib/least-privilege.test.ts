import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { tableList, type TableName } from '../../lambdas/adapters/dynamo/tables';
import { httpHandlers } from '../../lambdas/handlers/routes';
import { functionAccess } from '../../lib/function-access';
import { functionKeys } from '../../lib/function-entries';
import { allowStatements, grantsOnTable, referencedIds, type AllowStatement } from './policy-statements';
import { synthesize, type Synthesized } from './synth';

/** What must never reach an append-only table: every way to change or remove an item that exists. */
const REWRITES = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];
const DELETES = ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLDelete'];

let synthesized: Synthesized;
let statements: AllowStatement[];
let tableIds: Record<TableName, string>;

beforeAll(() => {
  synthesized = synthesize();
  statements = allowStatements(synthesized.template.toJSON().Resources);
  tableIds = Object.fromEntries(
    tableList.map((definition) => [
      definition.logicalName,
      logicalId(synthesized.stack.stateful.tables[definition.logicalName]),
    ]),
  ) as Record<TableName, string>;
});

function logicalId(construct: IConstruct): string {
  return synthesized.stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The actions on `table` granted to the role of function `key`. */
function actionsOf(key: string, table: TableName): string[] {
  const roleId = logicalId(synthesized.stack.stateless.functions[key]!.role!);
  return statements
    .filter((statement) => statement.roles.includes(roleId))
    .filter((statement) =>
      statement.resources.some((resource) => referencedIds(resource).includes(tableIds[table])),
    )
    .flatMap((statement) => statement.actions);
}

describe('least privilege', () => {
  describe('the policy walker', () => {
    // Hand-written policies the walker must flag: proof that the template checks below can fail.
    const ledger = 'LedgerTable1';
    const all = [ledger, 'MessagesTable1'];
    const statement = (actions: string[], resources: unknown[], negated = false): AllowStatement => ({
      policy: 'P',
      roles: ['R'],
      actions,
      resources,
      negated,
    });

    it.each([
      [
        'UpdateItem on the table ARN',
        statement(['dynamodb:UpdateItem'], [{ 'Fn::GetAtt': [ledger, 'Arn'] }]),
      ],
      [
        'dynamodb:* on an index ARN',
        statement(['dynamodb:*'], [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ledger, 'Arn'] }, '/index/*']] }]),
      ],
      ['a wildcard action on every resource', statement(['dynamodb:Delete*'], ['*'])],
      [
        'a table-name ARN built with Ref',
        statement(['dynamodb:BatchWriteItem'], [{ 'Fn::Sub': [{ Ref: ledger }] }]),
      ],
      ['NotAction', statement(['dynamodb:PutItem'], [{ 'Fn::GetAtt': [ledger, 'Arn'] }], true)],
    ])('flags %s', (_name, candidate) => {
      // act
      const found = grantsOnTable([candidate], ledger, all, REWRITES);

      // assess
      expect(found).toHaveLength(1);
    });

    it.each([
      ['PutItem on the table', statement(['dynamodb:PutItem'], [{ 'Fn::GetAtt': [ledger, 'Arn'] }])],
      [
        'UpdateItem on another table',
        statement(['dynamodb:UpdateItem'], [{ 'Fn::GetAtt': ['MessagesTable1', 'Arn'] }]),
      ],
      [
        'a wildcard of another service',
        statement(['scheduler:CreateSchedule'], ['arn:aws:scheduler:::schedule/g/*']),
      ],
    ])('lets %s through', (_name, candidate) => {
      // act
      const found = grantsOnTable([candidate], ledger, all, REWRITES);

      // assess
      expect(found).toEqual([]);
    });
  });

  describe('the synthesized policies', () => {
    it.each(
      tableList.filter((definition) => definition.appendOnly).map((definition) => definition.logicalName),
    )('allow no function to update or delete items of the append-only %s table', (table) => {
      // act
      const found = grantsOnTable(statements, tableIds[table], Object.values(tableIds), REWRITES);

      // assess
      expect(found).toEqual([]);
    });

    it('cover the append-only tables: the consent ledger with its opt-outs, the emergency blackouts and the contact erasures', () => {
      // act
      const appendOnly = tableList
        .filter((definition) => definition.appendOnly)
        .map((definition) => definition.logicalName);

      // assess
      expect(appendOnly.sort()).toEqual(['blackouts', 'erasures', 'ledger']);
    });

    it('allow no function to delete from any table (expiry is TTL)', () => {
      for (const table of tableList) {
        // act
        const found = grantsOnTable(
          statements,
          tableIds[table.logicalName],
          Object.values(tableIds),
          DELETES,
        );

        // assess
        expect(found).toEqual([]);
      }
    });

    it('let the consent and STOP paths append with PutItem', () => {
      // act
      const consent = actionsOf('consent.append', 'ledger');
      const stop = actionsOf('twilio.sms', 'ledger');

      // assess
      expect(consent).toContain('dynamodb:PutItem');
      expect(stop).toContain('dynamodb:PutItem');
      expect(stop).not.toContain('dynamodb:UpdateItem');
    });

    it('give read-only routes no write at all', () => {
      // prepare
      const readOnly = Object.entries(functionAccess)
        .filter(([, access]) => access.writes.length === 0)
        .map(([key]) => key);

      for (const key of readOnly) {
        for (const table of tableList) {
          // act
          const actions = actionsOf(key, table.logicalName);

          // assess
          expect(actions.filter((action) => /Put|Update|Delete|Write/i.test(action))).toEqual([]);
        }
      }
      expect(readOnly).toEqual(expect.arrayContaining(['contacts.get', 'ledger.verify', 'openapi.get']));
    });

    it('let only functions that book releases create schedules and pass the scheduler role', () => {
      // prepare
      const schedulerRoleId = logicalId(synthesized.stack.stateful.schedulerRole);

      for (const key of functionKeys()) {
        // act
        const roleId = logicalId(synthesized.stack.stateless.functions[key]!.role!);
        const own = statements.filter((statement) => statement.roles.includes(roleId));
        const passes = own.filter(
          (statement) =>
            statement.actions.includes('iam:PassRole') &&
            JSON.stringify(statement.resources).includes(`"${schedulerRoleId}"`),
        );
        const creates = own.filter((statement) => statement.actions.includes('scheduler:CreateSchedule'));

        // assess
        const expected = functionAccess[key]?.schedules === true ? 1 : 0;
        expect([key, passes.length, creates.length]).toEqual([key, expected, expected]);
      }
      expect(functionAccess['send-worker']?.schedules).toBe(true);
    });
  });

  describe('function-access.ts', () => {
    it('declares the access of every deployed function, so none falls back to the broad default', () => {
      // act
      const undeclared = functionKeys().filter((key) => functionAccess[key] === undefined);

      // assess
      expect(undeclared).toEqual([]);
    });

    it('declares no function that is not deployed', () => {
      // act
      const stale = Object.keys(functionAccess).filter((key) => !functionKeys().includes(key));

      // assess
      expect(stale).toEqual([]);
      expect(Object.keys(httpHandlers).length).toBeGreaterThan(0);
    });
  });
});
