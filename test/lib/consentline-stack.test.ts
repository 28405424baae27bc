import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { tableList, tableNamesFromEnv, tables } from '../../lambdas/adapters/dynamo/tables';
import { httpHandlers, httpRoutes, routeKey } from '../../lambdas/handlers/routes';
import { SEND_QUEUE_MAX_RECEIVES } from '../../lambdas/adapters/sqs/send-queue';
import { functionKeys } from '../../lib/function-entries';
import { synthesize, type Synthesized } from './synth';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let synthesized: Synthesized;
let resources: Record<string, Resource>;

beforeAll(() => {
  synthesized = synthesize();
  resources = synthesized.template.toJSON().Resources as Record<string, Resource>;
});

const logicalId = (construct: IConstruct): string =>
  synthesized.stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string): [string, Resource][] =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);
const functionId = (key: string): string => logicalId(synthesized.stack.stateless.functions[key]!);
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

describe('ConsentLineStack', () => {
  describe('tables', () => {
    it('builds each table from the shared definitions: keys, indexes, on demand, PITR, encryption', () => {
      for (const definition of tableList) {
        // prepare
        const id = logicalId(synthesized.stack.stateful.tables[definition.logicalName]);
        const keySchema = [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
        ];

        // act
        const properties = resources[id]!.Properties;

        // assess
        expect(properties.KeySchema).toEqual(keySchema);
        expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
        expect(properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(properties.SSESpecification).toEqual({ SSEEnabled: true });
        expect(properties.DeletionProtectionEnabled).toBe(true);
        const indexes = (properties.GlobalSecondaryIndexes ?? []) as {
          IndexName: string;
          KeySchema: unknown;
        }[];
        expect(indexes.map((index) => index.IndexName).sort()).toEqual(
          definition.indexes.map((index) => index.indexName).sort(),
        );
      }
    });

    it("keys the ledger by phone and entry: one item collection holds everything about a phone's consent", () => {
      // act
      const properties = resources[logicalId(synthesized.stack.stateful.tables.ledger)]!.Properties;

      // assess
      expect(properties.KeySchema).toEqual([
        { AttributeName: 'phone', KeyType: 'HASH' },
        { AttributeName: 'entry', KeyType: 'RANGE' },
      ]);
      expect(properties.GlobalSecondaryIndexes).toBeUndefined();
    });

    it('turns TTL on for the message log, its history and counters only', () => {
      // act
      const ttl = Object.fromEntries(
        tableList.map((definition) => [
          definition.logicalName,
          resources[logicalId(synthesized.stack.stateful.tables[definition.logicalName])]!.Properties
            .TimeToLiveSpecification,
        ]),
      );

      // assess
      expect(ttl).toEqual({
        agents: undefined,
        contacts: undefined,
        ledger: undefined,
        messages: { AttributeName: 'expiresAt', Enabled: true },
        messageEvents: { AttributeName: 'expiresAt', Enabled: true },
        counters: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('retains the ledger with its opt-outs (and every other table) when the stack is deleted', () => {
      // act
      const policies = tableList.map(
        (definition) =>
          resources[logicalId(synthesized.stack.stateful.tables[definition.logicalName])]!.DeletionPolicy,
      );

      // assess
      expect(tables.ledger.appendOnly).toBe(true);
      expect(resources[logicalId(synthesized.stack.stateful.tables.ledger)]!.DeletionPolicy).toBe('Retain');
      expect(new Set(policies)).toEqual(new Set(['Retain']));
    });
  });

  describe('queues', () => {
    it('makes the send queue FIFO with content-based deduplication and a redrive to a FIFO DLQ', () => {
      // prepare
      const queue = resources[logicalId(synthesized.stack.stateful.sendQueue)]!.Properties;
      const deadLetterId = logicalId(synthesized.stack.stateful.sendDeadLetterQueue);

      // act
      const deadLetter = resources[deadLetterId]!.Properties;

      // assess
      expect(queue).toMatchObject({
        FifoQueue: true,
        ContentBasedDeduplication: true,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: getAtt(deadLetterId),
          maxReceiveCount: SEND_QUEUE_MAX_RECEIVES,
        },
      });
      expect(SEND_QUEUE_MAX_RECEIVES).toBe(5);
      expect(deadLetter).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
    });

    it("keeps a message invisible for at least 6 times the worker's timeout", () => {
      // act
      const visibility = resources[logicalId(synthesized.stack.stateful.sendQueue)]!.Properties
        .VisibilityTimeout as number;
      const workerTimeout = resources[functionId('send-worker')]!.Properties.Timeout as number;

      // assess
      expect(workerTimeout).toBe(30);
      expect(visibility).toBeGreaterThanOrEqual(6 * workerTimeout);
    });

    it('refuses plain-HTTP access to every queue', () => {
      // act
      const queuePolicies = ofType('AWS::SQS::QueuePolicy').map(([, policy]) => policy.Properties);

      // assess
      expect(ofType('AWS::SQS::Queue')).toHaveLength(5);
      expect(queuePolicies).toHaveLength(5);
      for (const policy of queuePolicies) {
        expect(policy.PolicyDocument).toMatchObject({
          Statement: expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        });
      }
    });

    it("gives Scheduler a role that may only send to the send queue and Scheduler's DLQ", () => {
      // prepare
      const roleId = logicalId(synthesized.stack.stateful.schedulerRole);

      // act
      const [, policy] = ofType('AWS::IAM::Policy').find(([, candidate]) =>
        JSON.stringify(candidate.Properties.Roles).includes(roleId),
      )!;

      // assess
      expect(policy.Properties.PolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: expect.arrayContaining([
          expect.objectContaining({
            Action: expect.arrayContaining(['sqs:SendMessage']),
            Resource: getAtt(logicalId(synthesized.stack.stateful.sendQueue)),
          }),
        ]),
      });
      const statements = (policy.Properties.PolicyDocument as { Statement: { Resource: unknown }[] })
        .Statement;
      expect(statements.map((statement) => statement.Resource)).toEqual([
        getAtt(logicalId(synthesized.stack.stateful.sendQueue)),
        getAtt(logicalId(synthesized.stack.stateful.schedulerDeadLetterQueue)),
      ]);
    });
  });

  describe('functions', () => {
    it('deploys one function per HTTP handler key plus the background functions', () => {
      // act
      const descriptions = ofType('AWS::Lambda::Function').map(([, fn]) => fn.Properties.Description);

      // assess
      expect(descriptions.sort()).toEqual(
        [
          ...Object.keys(httpHandlers),
          'send-worker',
          'sweep',
          'release-reconciler',
          'sms-fallback-processor',
          'append-only-watch',
        ]
          .map((key) => `ConsentLine ${key}`)
          .sort(),
      );
    });

    it('runs every function on Node.js 22, arm64, 512 MB, with the API at 10 s', () => {
      for (const key of functionKeys()) {
        // act
        const properties = resources[functionId(key)]!.Properties;

        // assess
        expect(properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          MemorySize: 512,
        });
      }
      const apiTimeouts = Object.keys(httpHandlers).map(
        (key) => resources[functionId(key)]!.Properties.Timeout,
      );
      expect(new Set(apiTimeouts)).toEqual(new Set([10]));
    });

    it("gives every function the environment the composition root reads, each table's name included", () => {
      for (const key of functionKeys()) {
        // prepare
        const variables = (
          resources[functionId(key)]!.Properties.Environment as { Variables: Record<string, unknown> }
        ).Variables;
        const asText = Object.fromEntries(
          Object.entries(variables).map(([name, value]) => [name, JSON.stringify(value)]),
        );

        // act
        const names = tableNamesFromEnv(asText);

        // assess
        for (const definition of tableList) {
          const tableId = logicalId(synthesized.stack.stateful.tables[definition.logicalName]);
          expect(JSON.parse(names[definition.logicalName])).toEqual({ Ref: tableId });
        }
        expect(Object.keys(variables)).toEqual(
          expect.arrayContaining([
            'SEND_QUEUE_URL',
            'SEND_QUEUE_ARN',
            'SCHEDULER_GROUP',
            'SCHEDULER_ROLE_ARN',
            'SCHEDULER_DLQ_ARN',
            'SECRET_MAX_AGE_SECONDS',
            'PUBLIC_BASE_URL',
            'POWERTOOLS_SERVICE_NAME',
          ]),
        );
      }
    });

    it('feeds the send worker and the fallback processor from their queues, 10 at a time, reporting partial batch failures', () => {
      // act
      const queueConsumers = ['send-worker', 'sms-fallback-processor'].map((key) =>
        JSON.stringify({ Ref: functionId(key) }),
      );
      const mappings = ofType('AWS::Lambda::EventSourceMapping')
        .map(([, mapping]) => mapping.Properties)
        .filter((mapping) => queueConsumers.includes(JSON.stringify(mapping.FunctionName)));

      // assess
      expect(mappings).toEqual([
        expect.objectContaining({
          FunctionName: { Ref: functionId('send-worker') },
          EventSourceArn: getAtt(logicalId(synthesized.stack.stateful.sendQueue)),
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
        expect.objectContaining({
          FunctionName: { Ref: functionId('sms-fallback-processor') },
          EventSourceArn: getAtt(logicalId(synthesized.stack.stateful.smsFallbackQueue)),
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      ]);
    });

    it('invokes the sweep and the release reconciler every 5 minutes from EventBridge Scheduler, with a dead-letter queue', () => {
      // act
      const schedules = ofType('AWS::Scheduler::Schedule').map(([, schedule]) => schedule.Properties);

      // assess
      expect(schedules).toEqual(
        ['sweep', 'release-reconciler'].map((key) =>
          expect.objectContaining({
            ScheduleExpression: 'rate(5 minutes)',
            Target: expect.objectContaining({
              Arn: getAtt(functionId(key)),
              DeadLetterConfig: {
                Arn: getAtt(logicalId(synthesized.stack.stateful.schedulerDeadLetterQueue)),
              },
            }),
          }),
        ),
      );
    });
  });

  describe('HTTP API', () => {
    it('routes each route of the list to its own function', () => {
      // prepare
      const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration'));
      const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);

      for (const route of httpRoutes) {
        // act
        const deployed = routes.find((candidate) => candidate.RouteKey === routeKey(route));
        const target = JSON.stringify(deployed?.Target).match(/"Ref":"([A-Za-z0-9]+)"/)?.[1];

        // assess
        expect(integrations[target!]?.Properties.IntegrationUri).toEqual(getAtt(functionId(route.key)));
      }
      expect(routes).toHaveLength(httpRoutes.length);
    });

    it('throttles the default stage and writes access logs', () => {
      // act
      const stages = ofType('AWS::ApiGatewayV2::Stage').map(([, stage]) => stage.Properties);

      // assess
      expect(stages).toEqual([
        expect.objectContaining({
          StageName: '$default',
          AutoDeploy: true,
          DefaultRouteSettings: {
            ThrottlingRateLimit: expect.any(Number),
            ThrottlingBurstLimit: expect.any(Number),
          },
          AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.any(String) },
        }),
      ]);
    });
  });

  describe('alarms', () => {
    const alarms = () =>
      ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties as Record<string, unknown>);
    const dimensionOf = (alarm: Record<string, unknown>) =>
      JSON.stringify((alarm.Dimensions as { Value: unknown }[] | undefined)?.[0]?.Value);

    it('alarms on the first message on any dead-letter queue', () => {
      // prepare
      const queueNames = [
        synthesized.stack.stateful.sendDeadLetterQueue,
        synthesized.stack.stateful.schedulerDeadLetterQueue,
        synthesized.stack.stateful.smsFallbackDeadLetterQueue,
      ].map((queue) => JSON.stringify(getAtt(logicalId(queue), 'QueueName')));

      // act: the fallback queue's own alarm (not empty for 5 minutes) is not a dead-letter alarm
      const depth = alarms().filter(
        (alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible' && alarm.EvaluationPeriods === 1,
      );

      // assess
      expect(depth.map(dimensionOf).sort()).toEqual(queueNames.sort());
      for (const alarm of depth) {
        expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      }
    });

    it("alarms on every function's errors and throttles", () => {
      for (const metricName of ['Errors', 'Throttles']) {
        // act
        const watched = alarms()
          .filter((alarm) => alarm.MetricName === metricName)
          .map(dimensionOf);

        // assess
        expect(watched.sort()).toEqual(
          functionKeys()
            .map((key) => JSON.stringify({ Ref: functionId(key) }))
            .sort(),
        );
      }
    });

    it('notifies one SNS topic from every alarm', () => {
      // prepare
      const topicId = logicalId(synthesized.stack.alarms.topic);

      // act
      const actions = alarms().map((alarm) => alarm.AlarmActions);

      // assess
      expect(new Set(actions.map((action) => JSON.stringify(action)))).toEqual(
        new Set([JSON.stringify([{ Ref: topicId }])]),
      );
    });
  });

  describe('outputs and secret', () => {
    it("outputs the API URL, one URL per Twilio webhook, the secret's ARN and the queue URL", () => {
      // prepare
      const webhooks = httpRoutes.filter((route) => route.path.startsWith('/twilio/'));

      // act
      const outputs = synthesized.template.toJSON().Outputs as Record<string, { Value: unknown }>;

      // assess
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining([
          'ApiUrl',
          'AdminSecretArn',
          'AdminPepperSecretArn',
          'TwilioSecretArn',
          'SendQueueUrl',
          'AlarmTopicArn',
        ]),
      );
      const urls = Object.values(outputs).map((output) => JSON.stringify(output.Value));
      for (const route of webhooks) {
        expect(urls.some((url) => url.includes(`"${route.path}"`))).toBe(true);
      }
      expect(webhooks.map((route) => route.path)).toEqual(
        expect.arrayContaining(['/twilio/sms', '/twilio/status', '/twilio/voice']),
      );
    });

    it('splits the secrets: admin HMAC, its generated pepper, Twilio credentials, each retained', () => {
      // act
      const secrets = ofType('AWS::SecretsManager::Secret') as [string, Resource][];
      const fields = secrets.map(([, secret]) => {
        const generate = secret.Properties.GenerateSecretString as
          { SecretStringTemplate: string; GenerateStringKey: string } | undefined;
        return generate === undefined
          ? Object.keys(JSON.parse(JSON.stringify(secret.Properties.SecretString ?? '{}')) ?? {})
          : Object.keys(JSON.parse(generate.SecretStringTemplate)).concat(generate.GenerateStringKey).sort();
      });

      // assess
      expect(secrets).toHaveLength(3);
      expect(fields).toEqual(expect.arrayContaining([['pepper'], ['accountSid', 'authToken']]));
      for (const [, secret] of secrets) expect(secret.DeletionPolicy).toBe('Retain');
    });
  });
});
