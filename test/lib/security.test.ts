import type { CfnElement } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { tableList, type TableName } from '../../lambdas/adapters/dynamo/tables';
import { httpRoutes, routeKey } from '../../lambdas/handlers/routes';
import { ConsentLineStack } from '../../lib/consentline-stack';
import { DEFAULT_EDGE_RATE_LIMITS } from '../../lib/edge';
import { functionAccess } from '../../lib/function-access';
import { functionKeys } from '../../lib/function-entries';
import { APPEND_ONLY_DENIED_ACTIONS } from '../../lib/stateful';
import { DEFAULT_RESERVED_CONCURRENCY, ROUTE_THROTTLES } from '../../lib/stateless';
import { allowStatements, referencedIds, type AllowStatement } from './policy-statements';
import { synthesize, type Synthesized } from './synth';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let synthesized: Synthesized;
let resources: Record<string, Resource>;
let statements: AllowStatement[];

beforeAll(() => {
  synthesized = synthesize();
  resources = synthesized.template.toJSON().Resources as Record<string, Resource>;
  statements = allowStatements(resources);
});

const logicalId = (construct: IConstruct): string =>
  synthesized.stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string): [string, Resource][] =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);
const tableId = (name: TableName) => logicalId(synthesized.stack.stateful.tables[name]);
const roleOf = (key: string) => logicalId(synthesized.stack.stateless.functions[key]!.role!);
const ownStatements = (key: string) =>
  statements.filter((statement) => statement.roles.includes(roleOf(key)));
const readTablesOf = (key: string): TableName[] =>
  tableList
    .map((table) => table.logicalName)
    .filter((name) =>
      ownStatements(key).some(
        (statement) =>
          statement.actions.includes('dynamodb:Query') &&
          statement.resources.some((resource) => referencedIds(resource).includes(tableId(name))),
      ),
    );
const secretsReadBy = (key: string): string[] => {
  const secretIds = ofType('AWS::SecretsManager::Secret').map(([id]) => id);
  return ownStatements(key)
    .filter((statement) => statement.actions.includes('secretsmanager:GetSecretValue'))
    .flatMap((statement) => statement.resources.flatMap(referencedIds))
    .filter((id) => secretIds.includes(id))
    .sort();
};
const environmentOf = (key: string) =>
  (
    resources[logicalId(synthesized.stack.stateless.functions[key]!)]!.Properties.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;

describe('least privilege: reads', () => {
  it.each(functionKeys())('%s reads exactly the tables it declares', (key) => {
    // act
    const reads = readTablesOf(key);

    // assess
    expect(reads.sort()).toEqual([...(functionAccess[key]?.reads ?? [])].sort());
  });

  it('gives openapi.get no table and no secret', () => {
    // act
    const own = ownStatements('openapi.get');

    // assess
    expect(
      own.flatMap((statement) => statement.actions).filter((action) => !action.startsWith('logs:')),
    ).toEqual([]);
  });

  it('lets only the functions that call Twilio (messages, Lookup) or verify its signatures read the Twilio secret', () => {
    // prepare
    const twilioSecret = logicalId(synthesized.stack.stateful.twilioSecret);

    // act
    const readers = functionKeys().filter((key) => secretsReadBy(key).includes(twilioSecret));

    // assess
    // intake and imports look line types up; the fallback processor verifies the captured signature
    expect(readers.sort()).toEqual([
      'contacts.put',
      'imports.create',
      'send-worker',
      'sms-fallback-processor',
      'twilio.sms',
      'twilio.status',
      'twilio.voice',
    ]);
    for (const key of functionKeys()) {
      expect([key, 'TWILIO_SECRET_ARN' in environmentOf(key)]).toEqual([key, readers.includes(key)]);
    }
  });

  it('lets only the routes that accept the admin key read its HMAC and pepper, and Twilio functions neither', () => {
    // prepare
    const admin = [synthesized.stack.stateful.adminSecret, synthesized.stack.stateful.adminPepperSecret].map(
      logicalId,
    );

    // act
    const readers = functionKeys().filter((key) => admin.every((id) => secretsReadBy(key).includes(id)));

    // assess
    expect(readers).toEqual(expect.arrayContaining(['agents.create', 'agents.rotate-key', 'audit.phone']));
    for (const key of ['twilio.sms', 'twilio.voice', 'send-worker', 'contacts.get', 'openapi.get']) {
      expect([key, readers.includes(key)]).toEqual([key, false]);
    }
  });
});

describe('append-only, by AWS', () => {
  it.each(tableList.filter((table) => table.appendOnly).map((table) => table.logicalName))(
    'the %s table has a resource policy denying updates, deletes and PartiQL writes to every principal',
    (name) => {
      // act
      const policy = resources[tableId(name)]!.Properties.ResourcePolicy as {
        PolicyDocument: { Statement: (Statement & { Principal: unknown })[] };
      };

      // assess
      const deny = policy.PolicyDocument.Statement.find((statement) => statement.Effect === 'Deny');
      expect(deny?.Principal).toEqual({ AWS: '*' });
      expect([deny?.Action].flat().sort()).toEqual([...APPEND_ONLY_DENIED_ACTIONS].sort());
      expect(APPEND_ONLY_DENIED_ACTIONS).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PartiQLUpdate']),
      );
    },
  );

  it('streams every append-only table into a watcher that sees only MODIFY and REMOVE, and alarms on it', () => {
    // prepare
    const watcher = logicalId(synthesized.stack.stateless.functions['append-only-watch']!);

    // act
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => (mapping.Properties.FunctionName as { Ref: string }).Ref === watcher,
    );
    const alarm = ofType('AWS::CloudWatch::Alarm').find(([id]) => id.includes('AppendOnlyChanged'));

    // assess
    for (const name of ['ledger', 'blackouts', 'erasures'] as const) {
      expect(resources[tableId(name)]!.Properties.StreamSpecification).toEqual({
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      });
    }
    expect(mappings).toHaveLength(3);
    for (const [, mapping] of mappings) {
      expect(JSON.stringify(mapping.Properties.FilterCriteria)).toContain('MODIFY');
      expect(JSON.stringify(mapping.Properties.FilterCriteria)).toContain('REMOVE');
      expect(JSON.stringify(mapping.Properties.FilterCriteria)).not.toContain('INSERT');
    }
    // The ledger's derived state item is replaced whole on every record; a record is never changed.
    const ledgerMapping = mappings.find(([, mapping]) =>
      JSON.stringify(mapping.Properties.EventSourceArn).includes(tableId('ledger')),
    );
    const pattern = JSON.parse(
      (ledgerMapping?.[1].Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]!
        .Pattern,
    ) as unknown;
    expect(pattern).toEqual({
      eventName: ['MODIFY', 'REMOVE'],
      dynamodb: { Keys: { entry: { S: [{ 'anything-but': ['state'] }] } } },
    });
    expect(alarm?.[1].Properties).toMatchObject({ MetricName: 'Invocations', Threshold: 0 });
  });

  it("denies every role an update that names the message log's retention attribute", () => {
    // prepare
    const messages = tableId('messages');

    // act
    const denies = ofType('AWS::IAM::Policy').flatMap(([, policy]) =>
      ((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement ?? []).filter(
        (statement) => statement.Effect === 'Deny' && referencedIds(statement.Resource).includes(messages),
      ),
    );
    const writers = functionKeys().filter((key) => functionAccess[key]?.writes.includes('messages'));

    // assess
    expect(denies).toHaveLength(writers.length);
    for (const deny of denies) {
      expect(deny.Action).toBe('dynamodb:UpdateItem');
      expect(deny.Condition).toEqual({
        'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['expiresAt'] },
      });
    }
  });
});

describe('flood', () => {
  it('gives /twilio/* and the admin routes their own route throttles', () => {
    // act
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number }>;

    // assess
    for (const route of httpRoutes.filter((candidate) => candidate.path.startsWith('/twilio/'))) {
      expect(settings[routeKey(route)]).toEqual({
        ThrottlingRateLimit: ROUTE_THROTTLES[0]!.throttle.rateLimit,
        ThrottlingBurstLimit: ROUTE_THROTTLES[0]!.throttle.burstLimit,
      });
    }
    expect(settings['POST /v1/agents']?.ThrottlingRateLimit).toBeLessThan(10);
    expect(settings['POST /v1/messages']).toBeUndefined();
  });

  it('reserves concurrency for the webhook, status and send-worker functions', () => {
    for (const [key, reserved] of Object.entries(DEFAULT_RESERVED_CONCURRENCY)) {
      // act
      const fn = resources[logicalId(synthesized.stack.stateless.functions[key]!)]!;

      // assess
      expect([key, fn.Properties.ReservedConcurrentExecutions]).toEqual([key, reserved]);
    }
    expect(Object.keys(DEFAULT_RESERVED_CONCURRENCY).sort()).toEqual([
      'send-worker',
      'twilio.sms',
      'twilio.status',
    ]);
  });

  it('alarms on 401 spikes, on 429s, on the 4xx rate and on failed admin authentication', () => {
    // act
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([id]) => id);
    const filters = ofType('AWS::Logs::MetricFilter').map(([, filter]) => filter.Properties.FilterPattern);

    // assess
    for (const name of ['UnauthorizedSpike', 'Throttled', 'ClientErrorRate', 'AdminAuthFailures']) {
      expect(alarms.some((id) => id.includes(name))).toBe(true);
    }
    expect(filters).toEqual(expect.arrayContaining(['{ $.status = "401" }', '{ $.status = "429" }']));
    expect(filters).toContain('{ $.event = "admin_auth_failed" }');
  });

  it('puts the API behind CloudFront with a WAF web ACL of per-IP rate rules, and Twilio signs that URL', () => {
    // act
    const [[, distribution]] = ofType('AWS::CloudFront::Distribution') as [[string, Resource]];
    const [[aclId, acl]] = ofType('AWS::WAFv2::WebACL') as [[string, Resource]];
    const rules = acl.Properties.Rules as {
      Name: string;
      Statement: { RateBasedStatement?: { AggregateKeyType: string; Limit: number } };
    }[];
    const config = distribution.Properties.DistributionConfig as {
      WebACLId: unknown;
      CacheBehaviors: { PathPattern: string }[];
    };

    // assess
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    expect(referencedIds(config.WebACLId)).toEqual([aclId]);
    const rated = rules.filter((rule) => rule.Statement.RateBasedStatement?.AggregateKeyType === 'IP');
    expect(rated.map((rule) => [rule.Name, rule.Statement.RateBasedStatement?.Limit])).toEqual([
      ['AdminPerIp', DEFAULT_EDGE_RATE_LIMITS.adminPerIp],
      ['TwilioPerIp', DEFAULT_EDGE_RATE_LIMITS.twilioPerIp],
      ['AllPerIp', DEFAULT_EDGE_RATE_LIMITS.perIp],
    ]);
    expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern)).toEqual(
      expect.arrayContaining(['/twilio/*', '/v1/*']),
    );
    const distributionId = logicalId(synthesized.stack.edge.distribution);
    expect(referencedIds(environmentOf('twilio.sms').PUBLIC_BASE_URL)).toContain(distributionId);
  });

  it('uses a given web ACL ARN instead of making one, and refuses to make one outside us-east-1', () => {
    // prepare
    const arn =
      'arn:aws:wafv2:us-east-1:111111111111:global/webacl/consentline/0f0f0f0f-0000-4000-8000-000000000000';
    const given = new ConsentLineStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Given', {
      webAclArn: arn,
    });

    // act
    const elsewhere = () =>
      new ConsentLineStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Elsewhere', {
        env: { account: '111111111111', region: 'eu-west-1' },
      });

    // assess
    expect(given.node.findAll().some((construct) => construct.node.id === 'Waf')).toBe(false);
    expect(elsewhere).toThrow(/us-east-1/);
  });
});
