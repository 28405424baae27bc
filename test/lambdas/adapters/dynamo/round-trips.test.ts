import { countRoundTrips } from '../../../../lambdas/adapters/dynamo/round-trips';
import { DynamoCapStore } from '../../../../lambdas/adapters/dynamo/cap-store';
import { DynamoLedgerStore } from '../../../../lambdas/adapters/dynamo/ledger-store';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();

describe('countRoundTrips', () => {
  it('counts one round trip per request made through the document client', async () => {
    // prepare
    const trips = countRoundTrips(db.raw);
    const ledger = new DynamoLedgerStore({ client: db.client, tables: db.tables });
    const draft = {
      agentId: 'agt_1',
      phone: '+14155556001',
      channel: 'sms',
      type: 'express_written',
      at: '2026-11-23T10:00:00.000Z',
    } as const;

    // act
    await ledger.append(draft, '2026-11-23T10:00:01.000Z');
    const afterAppend = trips.count();
    trips.reset();
    await ledger.verify('agt_1', '+14155556001');
    const afterVerify = trips.count();

    // assess
    // the phone's state, then the event with the state's move; the events and the head in one Query
    expect(afterAppend).toBe(2);
    expect(afterVerify).toBe(1);
  });

  it('shows a read-decide-claim costs two round trips on one store', async () => {
    // prepare
    const counters = new DynamoCapStore({ client: db.client, tables: db.tables });
    const trips = countRoundTrips(db.client);

    // act
    const seen = await counters.recentSends('+14155556002', '2026-11-22T00:00:00.000Z');
    await counters.claimSend(
      '+14155556002',
      { at: '2026-11-23T10:00:00.000Z', purpose: 'automated', messageId: 'msg_1' },
      seen.version,
      '2026-11-22T00:00:00.000Z',
    );

    // assess
    expect(trips.count()).toBe(2);
  });
});
