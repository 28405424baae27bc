import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoMessageStore } from '../../../../lambdas/adapters/dynamo/message-store';
import type { ComplianceReceipt } from '../../../../lambdas/compliance/receipt';
import type { MessageRecord, StatusChange } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const store = () => new DynamoMessageStore({ client: db.client, tables: db.tables });

// One instant for every move, as a test's hand clock gives: the order must still hold.
const AT = '2026-11-23T10:00:00.000Z';
let ids = 0;

const receipt = (verdict: 'send' | 'hold') =>
  ({ verdict, decidedAt: AT, reasons: [] }) as unknown as ComplianceReceipt;

function aMessage(): MessageRecord {
  return {
    messageId: `msg_history_${++ids}`,
    agentId: 'agt_1',
    phone: '+14155554001',
    kind: 'manual',
    purpose: 'manual',
    body: 'Open house Sunday?',
    status: 'queued',
    history: [{ status: 'queued', at: AT, receipt: receipt('send') }],
    createdAt: AT,
    updatedAt: AT,
    receipt: receipt('send'),
  };
}

const item = async (messageId: string) =>
  (await db.client.send(new GetCommand({ TableName: db.tables.messages, Key: { messageId } }))).Item;
const events = async (messageId: string) =>
  (
    await db.client.send(
      new QueryCommand({
        TableName: db.tables.messageEvents,
        KeyConditionExpression: 'messageId = :id',
        ExpressionAttributeValues: { ':id': messageId },
      }),
    )
  ).Items ?? [];

describe('a message and its history', () => {
  it('keeps the item a state, the recurring entries put-only items, sent and final entries on the item', async () => {
    // prepare
    const message = aMessage();
    const moves: [MessageRecord['status'][], StatusChange][] = [
      [['queued'], { status: 'sending', at: AT, receipt: receipt('send') }],
      [['sending'], { status: 'queued', at: AT, errorCode: '20500', reasons: ['Twilio answered 500'] }],
      [['queued'], { status: 'held', at: AT, receipt: receipt('hold') }],
      [['held'], { status: 'sending', at: AT, receipt: receipt('send') }],
      [['sending'], { status: 'sent', at: AT, twilioSid: 'SM1' }],
      [['sent'], { status: 'delivered', at: AT, twilioSid: 'SM1' }],
    ];

    // act
    await store().create(message);
    for (const [from, change] of moves) await store().transition(message.messageId, from, change);

    // assess
    const read = await store().get(message.messageId);
    expect(read?.history).toEqual([message.history[0], ...moves.map(([, change]) => change)]);
    expect(read?.status).toBe('delivered');
    expect(read?.receipt).toEqual(receipt('send'));
    const stored = await item(message.messageId);
    expect(stored).not.toHaveProperty('history');
    expect(stored).not.toHaveProperty('receipt');
    expect(stored).toMatchObject({ entry_sent: moves[4]![1], entry_delivered: moves[5]![1] });
    expect(JSON.stringify(stored).length).toBeLessThan(1024);
    const stats = (await events(message.messageId)).map((event) => event.status);
    expect(stats).toEqual(['queued', 'sending', 'queued', 'held', 'sending']);
  });

  it("reads a message's head with one GetItem: the entries its item keeps, no receipt taken from an older entry", async () => {
    // prepare
    const message = aMessage();
    const hold = { ...receipt('hold'), reasons: ['quiet hours'] } as unknown as ComplianceReceipt;
    await store().create(message);
    await store().transition(
      message.messageId,
      ['queued'],
      { status: 'held', at: AT, receipt: hold },
      { receipt: hold, releaseAt: AT },
    );
    let calls = 0;
    db.client.middlewareStack.add(
      (next) => async (args) => {
        calls += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countHeadCalls' },
    );

    // act
    const head = await store().head(message.messageId);
    const headCalls = calls;
    const whole = await head?.whole();
    await head?.whole();
    const wholeCalls = calls - headCalls;
    db.client.middlewareStack.remove('countHeadCalls');

    // assess
    expect(headCalls).toBe(1);
    expect(head?.message).toMatchObject({ status: 'held', releaseAt: AT, body: message.body });
    // Both entries carry a receipt, so both are items of their own: the head lists neither.
    expect(head?.message.history).toEqual([]);
    // The latest receipt is the hold's, in an entry the head did not read: none rather than the first's.
    expect(head?.message.receipt).toBeUndefined();
    // The rest is one Query, once, and makes the same record a whole read does.
    expect(wholeCalls).toBe(1);
    expect(whole).toEqual(await store().get(message.messageId));
    expect(whole?.receipt).toEqual(hold);
    expect(whole?.history.map((change) => change.status)).toEqual(['queued', 'held']);
    expect(await store().head('msg_history_none')).toBeUndefined();
  });

  it('keeps a first entry without a receipt on the item: a drip step is one put, its history whole', async () => {
    // prepare
    const step: MessageRecord = {
      ...aMessage(),
      kind: 'drip',
      purpose: 'automated',
      status: 'scheduled',
      dueAt: '2026-12-01T15:00:00.000Z',
      step: 4,
      history: [
        { status: 'scheduled', at: AT, reasons: ['step 4 of cadence/x, due 2026-12-01T15:00:00.000Z'] },
      ],
      receipt: undefined,
    };
    delete step.receipt;
    const moves: [MessageRecord['status'][], StatusChange][] = [
      [['scheduled'], { status: 'queued', at: AT, reasons: ['step 4 due'] }],
      [['queued'], { status: 'sending', at: AT, receipt: receipt('send') }],
      [['sending'], { status: 'sent', at: AT, twilioSid: 'SM2' }],
    ];

    // act
    await store().createFresh([step]);
    const before = await events(step.messageId);
    for (const [from, change] of moves) await store().transition(step.messageId, from, change);

    // assess
    expect(before).toEqual([]);
    expect(await item(step.messageId)).toMatchObject({ entry_first: step.history[0] });
    expect((await events(step.messageId)).map((event) => event.status)).toEqual(['queued', 'sending']);
    const read = await store().get(step.messageId);
    expect(read?.history).toEqual([step.history[0], ...moves.map(([, change]) => change)]);
    expect(read).not.toHaveProperty('entry_first');
  });

  it('writes nothing of a move its condition refuses, history included', async () => {
    // prepare
    const message = aMessage();
    await store().create(message);

    // act
    const moved = await store().transition(message.messageId, ['held'], { status: 'sending', at: AT });

    // assess
    expect(moved).toBeUndefined();
    expect((await events(message.messageId)).map((event) => event.status)).toEqual(['queued']);
    expect((await store().get(message.messageId))?.history).toEqual(message.history);
  });

  it('returns the known record with the move, without reading it again', async () => {
    // prepare
    const message = aMessage();
    await store().create(message);
    const change: StatusChange = { status: 'held', at: AT, receipt: receipt('hold') };

    // act
    const moved = await store().transition(message.messageId, ['queued'], change, { releaseAt: AT }, message);

    // assess
    expect(moved).toEqual({
      ...message,
      status: 'held',
      releaseAt: AT,
      history: [...message.history, change],
      receipt: receipt('hold'),
    });
    expect(await store().get(message.messageId)).toEqual(moved);
  });
});
