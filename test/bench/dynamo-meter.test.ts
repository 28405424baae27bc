import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/adapters/dynamo';
import { localDynamoClient } from '../../lambdas/local/engines/aws-clients';
import { createKeyTable, dynamoEndpoint, uniquePrefix } from '../support/dynamo';
import { describeOperations, meterDynamo, since } from './dynamo-meter';
import { rawWriter } from './raw-writes';

const client = localDynamoClient(dynamoEndpoint());
const doc = documentClient(client);
const table = `${uniquePrefix()}meter`;

beforeAll(() => createKeyTable(client, table));

/** Stores the item `pk`, then starts metering: the meter and its reading before the act. */
async function meterAfterStoring(pk: string) {
  const meter = meterDynamo(client);
  await doc.send(new PutCommand({ TableName: table, Item: { pk } }));
  return { meter, before: meter.snapshot() };
}

/** The name of the error `request` fails with (its condition refused it), or undefined if it succeeds. */
const refusal = (request: Promise<unknown>): Promise<string | undefined> =>
  request.then(
    () => undefined,
    (error: Error) => error.name,
  );

describe('meterDynamo', () => {
  it('counts round trips per operation and the capacity DynamoDB reports for each', async () => {
    // prepare: a 2.5 KB item costs 3 write units (1 KB each) and 0.5 eventually consistent read units
    const meter = meterDynamo(client);
    const before = meter.snapshot();

    // act
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', text: 'x'.repeat(2_500) } }));
    const read = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'a' } }));
    const reading = since(before, meter.snapshot());

    // assess
    expect(read.Item?.text).toHaveLength(2_500);
    expect(reading.byOperation).toEqual({
      PutItem: { roundTrips: 1, capacityUnits: 3, failedWrites: 0, failedUnits: 0 },
      GetItem: { roundTrips: 1, capacityUnits: 0.5, failedWrites: 0, failedUnits: 0 },
    });
    expect(reading).toMatchObject({
      roundTrips: 2,
      writeRoundTrips: 1,
      readCapacityUnits: 0.5,
      writeCapacityUnits: 3,
    });
    expect(describeOperations(reading, 2)).toBe('PutItem ×0.50, GetItem ×0.50');
  });

  it('sends requests as the adapters wrote them and counts nothing while paused', async () => {
    // prepare: a client of its own, so no other test's meter asks for capacity on it
    const own = localDynamoClient(dynamoEndpoint());
    const meter = meterDynamo(own);
    const before = meter.snapshot();

    // act
    meter.pause();
    const unmetered = await documentClient(own).send(new PutCommand({ TableName: table, Item: { pk: 'p' } }));
    const paused = since(before, meter.snapshot());
    meter.resume();
    const metered = await documentClient(own).send(new PutCommand({ TableName: table, Item: { pk: 'q' } }));
    const resumed = since(before, meter.snapshot());
    own.destroy();

    // assess
    expect(unmetered.ConsumedCapacity).toBeUndefined();
    expect(paused.roundTrips).toBe(0);
    expect(metered.ConsumedCapacity).toBeDefined();
    expect(resumed.byOperation).toEqual({
      PutItem: { roundTrips: 1, capacityUnits: 1, failedWrites: 0, failedUnits: 0 },
    });
  });

  it('counts a write refused by its condition as a round trip billed 1 WCU, as AWS bills it', async () => {
    // prepare
    const { meter, before } = await meterAfterStoring('b');

    // act
    const refused = await refusal(
      doc.send(
        new PutCommand({
          TableName: table,
          Item: { pk: 'b' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );

    // assess
    expect(refused).toBe('ConditionalCheckFailedException');
    expect(since(before, meter.snapshot())).toMatchObject({
      roundTrips: 1,
      writeRoundTrips: 1,
      writeCapacityUnits: 1,
      failedWrites: 1,
      failedWriteCapacityUnits: 1,
    });
  });

  it('bills a transaction cancelled by a condition 2 WCU per action', async () => {
    // prepare
    const { meter, before } = await meterAfterStoring('c');

    // act
    const refused = await refusal(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: 'd' } } },
            { Put: { TableName: table, Item: { pk: 'c' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      ),
    );

    // assess
    expect(refused).toBe('TransactionCanceledException');
    expect(since(before, meter.snapshot())).toMatchObject({
      writeRoundTrips: 1,
      writeCapacityUnits: 4,
      failedWrites: 1,
    });
  });
});

describe('rawWriter', () => {
  it('times one conditional put per call and reports a positive rate', async () => {
    // prepare
    const raw = await rawWriter(client);

    // act
    const latencies = await raw.latencies(5);
    const one = await raw.once();
    const rate = await raw.throughput(20, 4);

    // assess
    expect(latencies).toHaveLength(5);
    expect(one).toBeGreaterThan(0);
    expect(latencies.every((ms) => ms > 0)).toBe(true);
    expect(rate).toBeGreaterThan(0);
  });
});
