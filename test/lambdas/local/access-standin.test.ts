import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../../lambdas/adapters/dynamo/tables';
import { enforceFunctionAccess, runAs } from '../../../lambdas/local/access-standin';
import { freshTables } from '../../support/dynamo';

const SEND_QUEUE = 'http://127.0.0.1:1/000000000000/consentline-send.fifo';
const UNREACHABLE = { region: 'us-east-1', endpoint: 'http://127.0.0.1:1', maxAttempts: 1 };
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let raw: DynamoDBClient;
let db: DynamoDBDocumentClient;
let tables: TableNames;
let sqs: SQSClient;
let scheduler: SchedulerClient;

beforeAll(async () => {
  ({ client: raw, db, tables } = await freshTables());
  sqs = new SQSClient({ ...UNREACHABLE, credentials });
  scheduler = new SchedulerClient({ ...UNREACHABLE, credentials });
  enforceFunctionAccess({ dynamo: raw, sqs, scheduler }, { tables, sendQueueUrl: SEND_QUEUE });
});
afterAll(() => {
  raw.destroy();
  sqs.destroy();
  scheduler.destroy();
});

/** The name of the error `work` fails with, or 'ok'. */
async function outcome(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

const agentItem = (agentId: string) => ({ TableName: tables.agents, Item: { agentId } });

describe('the local runtime’s IAM stand-in', () => {
  it('lets a function do what its grants allow and refuses the rest as AWS does, before the request is sent', async () => {
    // act
    const results = await Promise.all([
      outcome(() => runAs('agents.create', () => db.send(new PutCommand(agentItem('agt_granted'))))),
      outcome(() => runAs('ledger.verify', () => db.send(new PutCommand(agentItem('agt_read_only'))))),
      outcome(() =>
        runAs('contacts.get', () =>
          db.send(new GetCommand({ TableName: tables.blackouts, Key: { scope: 'x', sk: 'y' } })),
        ),
      ),
    ]);

    // assess
    expect(results).toEqual(['ok', 'AccessDeniedException', 'AccessDeniedException']);
    expect(
      (await db.send(new GetCommand({ TableName: tables.agents, Key: { agentId: 'agt_read_only' } }))).Item,
    ).toBe(undefined);
  });

  it('checks every action of a transaction on its own table, and denies batch writes to every function', async () => {
    // act
    const transaction = await outcome(() =>
      runAs('agents.suspend', () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: agentItem('agt_in_transaction') },
              { Put: { TableName: tables.messages, Item: { messageId: 'msg_not_granted' } } },
            ],
          }),
        ),
      ),
    );
    const batch = await outcome(() =>
      runAs('consent.append', () =>
        db.send(
          new BatchWriteCommand({
            RequestItems: { [tables.contacts]: [{ PutRequest: { Item: { agentId: 'a', phone: 'b' } } }] },
          }),
        ),
      ),
    );

    // assess
    expect([transaction, batch]).toEqual(['AccessDeniedException', 'AccessDeniedException']);
  });

  it('holds the append-only tables’ resource policy and the retention TTL’s explicit deny', async () => {
    // act
    const ledgerUpdate = await outcome(() =>
      runAs('consent.append', () =>
        db.send(
          new UpdateCommand({
            TableName: tables.ledger,
            Key: { phone: '+12125550100', entry: 'state' },
            UpdateExpression: 'SET version = :v',
            ExpressionAttributeValues: { ':v': 1 },
          }),
        ),
      ),
    );
    const retention = await outcome(() =>
      runAs('messages.create', () =>
        db.send(
          new UpdateCommand({
            TableName: tables.messages,
            Key: { messageId: 'msg_retention' },
            UpdateExpression: 'SET #expiry = :soon',
            ExpressionAttributeNames: { '#expiry': 'expiresAt' },
            ExpressionAttributeValues: { ':soon': 1 },
          }),
        ),
      ),
    );
    const status = await outcome(() =>
      runAs('messages.create', () =>
        db.send(
          new UpdateCommand({
            TableName: tables.messages,
            Key: { messageId: 'msg_status' },
            UpdateExpression: 'SET #status = :queued',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':queued': 'queued' },
          }),
        ),
      ),
    );

    // assess
    expect([ledgerUpdate, retention, status]).toEqual([
      'AccessDeniedException',
      'AccessDeniedException',
      'ok',
    ]);
  });

  it('refuses a send to the queue and a schedule call to a function not granted them', async () => {
    // act
    const send = await outcome(() =>
      runAs('contacts.get', () =>
        sqs.send(new SendMessageCommand({ QueueUrl: SEND_QUEUE, MessageBody: '{}', MessageGroupId: 'g' })),
      ),
    );
    const schedule = await outcome(() =>
      runAs('messages.get', () =>
        scheduler.send(new GetScheduleCommand({ Name: 'release-x', GroupName: 'consentline' })),
      ),
    );

    // assess
    expect([send, schedule]).toEqual(['AccessDeniedException', 'AccessDeniedException']);
  });

  it('checks nothing outside a function: a test’s own setup writes as it likes', async () => {
    // act
    const setup = await outcome(() =>
      db.send(new PutCommand({ TableName: tables.messages, Item: { messageId: 'msg_setup' } })),
    );

    // assess
    expect(setup).toBe('ok');
  });

  it('knows every function it is asked to run as', () => {
    // act
    const unknown = () => runAs('no.such.function', () => undefined);

    // assess
    expect(unknown).toThrow(/no function no\.such\.function/);
  });
});
