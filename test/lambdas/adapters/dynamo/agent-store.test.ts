import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAgentStore } from '../../../../lambdas/adapters/dynamo/agent-store';
import { ConflictError, type Agent } from '../../../../lambdas/ports';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
const store = (): DynamoAgentStore => new DynamoAgentStore({ client: db.client, tables: db.tables });

let sequence = 0;
function anAgent(overrides: Partial<Agent> = {}): Agent {
  sequence += 1;
  return {
    agentId: `agt_${sequence}`,
    name: 'Dana Realtor',
    brokerage: 'Bay Homes',
    senderNumber: `+1415555${String(1000 + sequence)}`,
    forwardTo: '+14155550000',
    doubleOptIn: false,
    suspended: false,
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

/** An agent created through the store with the key hash `keyHash`. */
async function storedAgent(keyHash: string, overrides: Partial<Agent> = {}): Promise<Agent> {
  const agent = anAgent(overrides);
  await store().create(agent, keyHash);
  return agent;
}

describe('DynamoAgentStore', () => {
  describe('create', () => {
    it('stores the agent and returns it from get without the key hash', async () => {
      // prepare
      const agent = anAgent();

      // act
      await store().create(agent, 'hash-create');
      const found = await store().get(agent.agentId);

      // assess
      expect(found).toStrictEqual(agent);
      const raw = await db.client.send(
        new GetCommand({ TableName: db.tables.agents, Key: { agentId: agent.agentId } }),
      );
      expect(raw.Item?.apiKeyHash).toBe('hash-create');
    });

    it('throws ConflictError and writes nothing when the sender number belongs to another agent', async () => {
      // prepare
      const first = await storedAgent('hash-first');
      const second = anAgent({ senderNumber: first.senderNumber });

      // act
      const attempt = store().create(second, 'hash-second');

      // assess
      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      expect(await store().get(second.agentId)).toBeUndefined();
      expect(await store().findByApiKeyHash('hash-second')).toBeUndefined();
    });

    it('throws ConflictError when the agent id exists', async () => {
      // prepare
      const agent = await storedAgent('hash-dup');

      // act
      const attempt = store().create({ ...agent, senderNumber: '+14155559999' }, 'hash-dup-2');

      // assess
      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      expect((await store().get(agent.agentId))?.senderNumber).toBe(agent.senderNumber);
    });
  });

  describe('findByApiKeyHash', () => {
    it('finds the agent whose key hash matches, without the hash', async () => {
      // prepare
      const agent = await storedAgent('hash-lookup');

      // act
      const found = await store().findByApiKeyHash('hash-lookup');
      const missing = await store().findByApiKeyHash('hash-nobody');

      // assess
      expect(found).toStrictEqual(agent);
      expect(missing).toBeUndefined();
    });
  });

  describe('findBySenderNumber', () => {
    it('finds the agent that owns the number and never a guard item', async () => {
      // prepare
      const agent = await storedAgent('hash-sender');

      // act
      const found = await store().findBySenderNumber(agent.senderNumber);
      const guard = await store().get(`guard#sender#${agent.senderNumber}`);

      // assess
      expect(found).toStrictEqual(agent);
      expect(guard).toBeUndefined();
    });
  });

  describe('setSuspended', () => {
    it('returns the agent with the new flag', async () => {
      // prepare
      const agent = await storedAgent('hash-suspend');

      // act
      const suspended = await store().setSuspended(agent.agentId, true, '2026-11-24T00:00:00.000Z', 'spam');
      const resumed = await store().setSuspended(agent.agentId, false, '2026-11-25T00:00:00.000Z');

      // assess
      expect(suspended).toStrictEqual({
        ...agent,
        suspended: true,
        suspendedReason: 'spam',
        suspendedAt: '2026-11-24T00:00:00.000Z',
      });
      expect(resumed).toStrictEqual({ ...agent, suspended: false });
      expect((await store().get(agent.agentId))?.suspended).toBe(false);
    });

    it('returns undefined and creates nothing when the agent does not exist', async () => {
      // act
      const result = await store().setSuspended('agt_nobody', true, '2026-11-24T00:00:00.000Z');

      // assess
      expect(result).toBeUndefined();
      expect(await store().get('agt_nobody')).toBeUndefined();
    });
  });
});
