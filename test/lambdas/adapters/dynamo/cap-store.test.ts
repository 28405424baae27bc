import { DynamoCapStore } from '../../../../lambdas/adapters/dynamo/cap-store';
import type { RecentSendRecord } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const store = (): DynamoCapStore => new DynamoCapStore({ client: db.client, tables: db.tables });

const send = (at: string, messageId: string): RecentSendRecord => ({ at, purpose: 'automated', messageId });

describe('DynamoCapStore', () => {
  describe('recentSends', () => {
    it('starts at version 0 with no sends', async () => {
      // act
      const result = await store().recentSends('+14155555000', '2026-11-22T00:00:00.000Z');

      // assess
      expect(result).toStrictEqual({ sends: [], version: 0 });
    });
  });

  describe('claimSend', () => {
    it('records sends, bumps the version and drops sends older than keepSince', async () => {
      // prepare
      const phone = '+14155555001';
      const counters = store();
      const old = send('2026-11-20T10:00:00.000Z', 'msg_old');
      const recent = send('2026-11-23T08:00:00.000Z', 'msg_recent');
      const latest = send('2026-11-23T10:00:00.000Z', 'msg_latest');
      await counters.claimSend(phone, old, 0, '2026-11-19T00:00:00.000Z');
      await counters.claimSend(phone, recent, 1, '2026-11-19T00:00:00.000Z');

      // act
      const claimed = await counters.claimSend(phone, latest, 2, '2026-11-22T10:00:00.000Z');

      // assess
      expect(claimed).toBe(true);
      expect(await store().recentSends(phone, '2026-01-01T00:00:00.000Z')).toStrictEqual({
        sends: [recent, latest],
        version: 3,
      });
      expect(await store().recentSends(phone, '2026-11-23T09:00:00.000Z')).toStrictEqual({
        sends: [latest],
        version: 3,
      });
    });

    it('lets exactly one of two workers that saw the same version take the slot', async () => {
      // prepare
      const phone = '+14155555002';
      const [a, b] = [store(), store()];
      const seen = await a.recentSends(phone, '2026-11-22T00:00:00.000Z');
      await b.recentSends(phone, '2026-11-22T00:00:00.000Z');

      // act
      const results = await Promise.all([
        a.claimSend(
          phone,
          send('2026-11-23T10:00:00.000Z', 'msg_a'),
          seen.version,
          '2026-11-22T00:00:00.000Z',
        ),
        b.claimSend(
          phone,
          send('2026-11-23T10:00:00.000Z', 'msg_b'),
          seen.version,
          '2026-11-22T00:00:00.000Z',
        ),
      ]);

      // assess
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store().recentSends(phone, '2026-11-22T00:00:00.000Z')).sends).toHaveLength(1);
    });

    it('refuses a stale version from a store that never read it', async () => {
      // prepare
      const phone = '+14155555003';
      await store().claimSend(
        phone,
        send('2026-11-23T10:00:00.000Z', 'msg_1'),
        0,
        '2026-11-22T00:00:00.000Z',
      );
      await store().claimSend(
        phone,
        send('2026-11-23T11:00:00.000Z', 'msg_2'),
        1,
        '2026-11-22T00:00:00.000Z',
      );

      // act
      const stale = await store().claimSend(
        phone,
        send('2026-11-23T12:00:00.000Z', 'msg_3'),
        1,
        '2026-11-22T00:00:00.000Z',
      );

      // assess
      expect(stale).toBe(false);
      expect(await store().recentSends(phone, '2026-11-22T00:00:00.000Z')).toMatchObject({ version: 2 });
    });
  });

  describe('incrementAgentSends', () => {
    it('counts each send of the agent on that UTC day', async () => {
      // prepare
      await store().incrementAgentSends('agt_1', '2026-11-23');

      // act
      const counts = await Promise.all([
        store().incrementAgentSends('agt_1', '2026-11-23'),
        store().incrementAgentSends('agt_1', '2026-11-23'),
      ]);

      // assess
      expect(counts.sort()).toStrictEqual([2, 3]);
      expect(await store().agentSendsOn('agt_1', '2026-11-23')).toBe(3);
      expect(await store().agentSendsOn('agt_1', '2026-11-24')).toBe(0);
    });
  });
});
