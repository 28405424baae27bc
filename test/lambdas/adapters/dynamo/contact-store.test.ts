import { DynamoContactStore } from '../../../../lambdas/adapters/dynamo/contact-store';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const store = (): DynamoContactStore => new DynamoContactStore({ client: db.client, tables: db.tables });

const T1 = '2026-11-23T10:00:00.000Z';
const T2 = '2026-11-24T10:00:00.000Z';

describe('DynamoContactStore', () => {
  describe('upsert', () => {
    it('creates a contact when none exists', async () => {
      // act
      const result = await store().upsert('agt_1', '+14155550101', { name: 'Sam', state: 'CA' }, T1);

      // assess
      const expected = {
        agentId: 'agt_1',
        phone: '+14155550101',
        name: 'Sam',
        state: 'CA',
        createdAt: T1,
        updatedAt: T1,
      };
      expect(result).toStrictEqual({ created: true, contact: expected });
      expect(await store().get('agt_1', '+14155550101')).toStrictEqual(expected);
    });

    it('updates the given fields, keeps the others and the first createdAt', async () => {
      // prepare
      await store().upsert(
        'agt_1',
        '+14155550102',
        { name: 'Sam', state: 'CA', notes: 'met at open house' },
        T1,
      );
      await store().setEnrollment('agt_1', '+14155550102', {
        cadenceVersion: 'cadence/1',
        enrolledAt: T1,
        status: 'active',
      });

      // act
      const result = await store().upsert('agt_1', '+14155550102', { state: 'FL', notes: undefined }, T2);

      // assess
      expect(result.created).toBe(false);
      const stored = await store().get('agt_1', '+14155550102');
      expect(result.contact).toStrictEqual(stored);
      expect(stored).toMatchObject({
        name: 'Sam',
        state: 'FL',
        notes: 'met at open house',
        createdAt: T1,
        updatedAt: T2,
        enrollment: { cadenceVersion: 'cadence/1', status: 'active' },
      });
    });

    it('reports a second upsert at the same instant as an update', async () => {
      // prepare
      await store().upsert('agt_1', '+14155550103', { name: 'Ann' }, T1);

      // act
      const again = await store().upsert('agt_1', '+14155550103', { name: 'Anne' }, T1);

      // assess
      expect(again.created).toBe(false);
      expect(again.contact.name).toBe('Anne');
    });

    it('ignores keys that are not descriptive fields', async () => {
      // prepare
      const sneaky = { name: 'Bo', createdAt: '1999-01-01T00:00:00.000Z', agentId: 'agt_other' };

      // act
      await store().upsert('agt_1', '+14155550104', sneaky, T1);

      // assess
      expect(await store().get('agt_1', '+14155550104')).toMatchObject({ agentId: 'agt_1', createdAt: T1 });
      expect(await store().get('agt_other', '+14155550104')).toBeUndefined();
    });
  });

  describe('setDoubleOptIn', () => {
    it('records the status and when it changed', async () => {
      // prepare
      await store().upsert('agt_2', '+14155550105', { name: 'Kim' }, T1);

      // act
      await store().setDoubleOptIn('agt_2', '+14155550105', 'sent', T2);

      // assess
      expect((await store().get('agt_2', '+14155550105'))?.doubleOptIn).toStrictEqual({
        status: 'sent',
        updatedAt: T2,
      });
    });

    it('throws and creates nothing for an unknown contact', async () => {
      // act
      const attempt = store().setDoubleOptIn('agt_2', '+14155550199', 'sent', T2);

      // assess
      await expect(attempt).rejects.toThrow('no contact');
      expect(await store().get('agt_2', '+14155550199')).toBeUndefined();
    });
  });
});
