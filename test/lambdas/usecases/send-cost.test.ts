import { describeOperations, since } from '../../bench/dynamo-meter';
import { createMessage } from '../../../lambdas/usecases/create-message';
import { recordDeliveryStatus } from '../../../lambdas/usecases/delivery-status';
import { sendMessage } from '../../../lambdas/usecases/send-message';
import { useSendFixture } from './send-fixture';

// Upper bounds of one text's DynamoDB cost on the local engine, index writes and refused
// conditional writes included (billed as on AWS).
const TUE_10_00_EST = '2026-03-03T15:00:00.000Z';
const fx = useSendFixture(TUE_10_00_EST);

let phones = 0;
const nextPhone = (): string => `+1212555${String(1000 + ++phones).slice(-4)}`;

describe('the cost of one text, API to delivered', () => {
  it('creates, sends and records both status callbacks within the round trips and write units it is allowed', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = nextPhone();
    await fx.newContact(agent, phone, { state: 'NY' });
    // Warm, as a Lambda that sent for this agent before: the agent's sender is known.
    const warm = await createMessage(fx.deps, agent, { to: nextPhone(), body: 'Open house Sunday?' });
    await sendMessage(fx.deps, warm.messageId, { decided: fx.queue.enqueued.at(-1)?.decided });
    const before = fx.meter.snapshot();

    // act
    const accepted = await createMessage(fx.deps, agent, { to: phone, body: 'Open house Sunday?' });
    // The worker gets the queue message as the API put it: with what the API read.
    const queued = fx.queue.enqueued.at(-1);
    const sent = await sendMessage(fx.deps, accepted.messageId, { decided: queued?.decided });
    const sid = sent.message?.twilioSid ?? '';
    for (const status of ['sent', 'delivered']) {
      await recordDeliveryStatus(fx.deps, {
        messageSid: sid,
        messageId: accepted.messageId,
        status,
        to: phone,
      });
    }
    const used = since(before, fx.meter.snapshot());

    // assess
    expect(sent.outcome).toBe('sent');
    expect((await fx.deps.stores.messages.get(accepted.messageId))?.status).toBe('delivered');
    // API: one batch by key + the phone's item collection (one Query) + one TransactWriteItems of
    // the message item and its first history entry (3): no function may BatchWriteItem (it can
    // delete), and a transaction keeps a text from being stored without its receipt. Worker, on
    // the API's reads: the claim transaction (the move and its history entry, the recipient's
    // slot, the agent's day slot with the suspension on one item, the phone's derived state
    // checked) + `sent` (2). Callbacks: one conditional UpdateItem each (2). The API's key lookup
    // is the HTTP layer's.
    const cost = `${used.roundTrips} round trips (${describeOperations(used, 1)}), ${used.writeCapacityUnits} WCU`;
    expect({ cost, within: used.roundTrips <= 7 && used.writeCapacityUnits <= 20 }).toEqual({
      cost,
      within: true,
    });
    // The worker read nothing: no GetItem, and the only Query and batch are the API's.
    expect(used.byOperation.GetItem).toBeUndefined();
    expect(used.byOperation.Query?.roundTrips).toBe(1);
    expect(used.byOperation.BatchGetItem?.roundTrips).toBe(1);
    // Both callbacks are one UpdateItem each, the second `sent` refused by its condition.
    expect(used.byOperation.UpdateItem).toMatchObject({ roundTrips: 3, failedWrites: 1 });
  });
});
