import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../../../../lambdas/adapters/dynamo/batch-get';

type Request = { RequestItems: Record<string, { Keys: Array<{ id: string }> }> };

/**
 * DynamoDB Local answers every key at once; AWS may leave keys unprocessed under throttling or
 * the 16 MB answer limit (API_BatchGetItem). This client answers only the first key of each call.
 */
function stingyClient(): { client: DynamoDBDocumentClient; calls: number[] } {
  const calls: number[] = [];
  const send = async (command: { input: Request }) => {
    const entries = Object.entries(command.input.RequestItems);
    calls.push(entries.reduce((sum, [, { Keys }]) => sum + Keys.length, 0));
    const [table, { Keys }] = entries[0]!;
    const rest = Keys.slice(1);
    const unprocessed = {
      ...Object.fromEntries(entries.slice(1)),
      ...(rest.length === 0 ? {} : { [table]: { Keys: rest, ConsistentRead: true } }),
    };
    return { Responses: { [table]: [{ ...Keys[0]!, found: true }] }, UnprocessedKeys: unprocessed };
  };
  return { client: { send } as unknown as DynamoDBDocumentClient, calls };
}

describe('batchGetAll', () => {
  it('asks again for the keys DynamoDB left unprocessed until every item is read', async () => {
    // prepare
    const { client, calls } = stingyClient();

    // act
    const found = await batchGetAll(client, { a: [{ id: '1' }, { id: '2' }, { id: '3' }], b: [{ id: '4' }] });

    // assess
    expect([...found.keys()].sort()).toEqual(['a', 'b']);
    expect(
      found
        .get('a')
        ?.map((item) => item.id)
        .sort(),
    ).toEqual(['1', '2', '3']);
    expect(found.get('b')?.map((item) => item.id)).toEqual(['4']);
    expect(calls).toEqual([4, 3, 2, 1]);
  });

  it('asks for at most 100 keys a call', async () => {
    // prepare
    const seen: number[] = [];
    const client = {
      send: async (command: { input: Request }) => {
        const keys = Object.values(command.input.RequestItems).flatMap(({ Keys }) => Keys);
        seen.push(keys.length);
        return { Responses: { t: keys }, UnprocessedKeys: {} };
      },
    } as unknown as DynamoDBDocumentClient;

    // act
    const found = await batchGetAll(client, {
      t: Array.from({ length: 250 }, (_, i) => ({ id: String(i) })),
    });

    // assess
    expect(seen).toEqual([100, 100, 50]);
    expect(found.get('t')).toHaveLength(250);
  });

  it('throws when keys stay unprocessed after every try, rather than answer without them', async () => {
    // prepare
    const client = {
      send: async (command: { input: Request }) => ({
        Responses: {},
        UnprocessedKeys: command.input.RequestItems,
      }),
    } as unknown as DynamoDBDocumentClient;

    // act + assess
    await expect(batchGetAll(client, { t: [{ id: '1' }] })).rejects.toThrow('unprocessed');
  });
});
