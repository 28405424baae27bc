import { API_KEY_MEMORY_MS, DynamoAgentStore } from '../../../../lambdas/adapters/dynamo/agent-store';
import { countRoundTrips } from '../../../../lambdas/adapters/dynamo';
import type { Agent } from '../../../../lambdas/ports';
import { seedAgent } from '../../../support/agents';
import { useDynamoTables } from './dynamo-fixture';

const db = useDynamoTables();
// Two functions (two warm Lambdas), each with its own store: the API's and the admin's.
const newStore = (): DynamoAgentStore => new DynamoAgentStore({ client: db.client, tables: db.tables });

const T0 = '2026-11-23T10:00:00.000Z';
const after = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();
const storedAgent = (keyHash: string): Promise<Agent> =>
  seedAgent(newStore(), { now: () => new Date(T0) }, {}, keyHash);

describe('API keys remembered by a warm Lambda', () => {
  it('authenticates a key again without a round trip within the bound', async () => {
    // prepare
    const agent = await storedAgent('hash-memory-1');
    const api = newStore();
    await api.resolveApiKey('hash-memory-1', T0);
    const trips = countRoundTrips(db.client);
    const before = trips.count();

    // act
    const again = await api.resolveApiKey('hash-memory-1', after(API_KEY_MEMORY_MS - 1));

    // assess
    expect(again?.agentId).toBe(agent.agentId);
    expect(trips.count() - before).toBe(0);
  });

  it('stops a key revoked by another function once the bound has passed', async () => {
    // prepare
    const agent = await storedAgent('hash-memory-2');
    const api = newStore();
    await api.resolveApiKey('hash-memory-2', T0);

    // act
    await newStore().revokeKeys(agent.agentId, { at: after(1), by: 'ops', reason: 'leaked' });
    const late = await api.resolveApiKey('hash-memory-2', after(API_KEY_MEMORY_MS));

    // assess
    expect(late).toBeUndefined();
  });

  it('stops a key revoked through the same instance at once', async () => {
    // prepare
    const agent = await storedAgent('hash-memory-3');
    const api = newStore();
    await api.resolveApiKey('hash-memory-3', T0);

    // act
    await api.revokeKeys(agent.agentId, { at: after(1), by: 'ops', reason: 'leaked' });

    // assess
    expect(await api.resolveApiKey('hash-memory-3', after(2))).toBeUndefined();
  });

  it('shows a suspension made elsewhere once the bound has passed', async () => {
    // prepare
    const agent = await storedAgent('hash-memory-4');
    const api = newStore();
    await api.resolveApiKey('hash-memory-4', T0);

    // act
    await newStore().setSuspended(agent.agentId, true, after(1), 'audit');
    const late = await api.resolveApiKey('hash-memory-4', after(API_KEY_MEMORY_MS));

    // assess
    expect(late?.suspended).toBe(true);
  });
});
