import { randomInt } from 'node:crypto';
import type { Agent, AgentStore, Clock } from '../../lambdas/ports';

/**
 * Stores an agent with random, valid numbers straight through the store, with the key hash
 * `keyHash` (by default one no key hashes to).
 */
export async function seedAgent(
  agents: AgentStore,
  clock: Clock,
  overrides: Partial<Agent> = {},
  keyHash?: string,
): Promise<Agent> {
  const agent: Agent = {
    agentId: `agt_${randomInt(1e12)}`,
    name: 'Dana Reyes',
    brokerage: 'Harbor Realty',
    senderNumber: `+1646${randomInt(2_000_000, 10_000_000)}`,
    forwardTo: `+1917${randomInt(2_000_000, 10_000_000)}`,
    doubleOptIn: false,
    suspended: false,
    createdAt: clock.now().toISOString(),
    ...overrides,
  };
  await agents.create(agent, keyHash ?? `hash-${agent.agentId}`);
  return agent;
}
