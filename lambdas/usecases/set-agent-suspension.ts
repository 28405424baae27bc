import type { Agent } from '../ports';
import type { Deps } from './deps';
import { notFound } from './errors';

/**
 * Suspends an agent pending investigation, or lifts the suspension (RULES §6). While suspended
 * the gate blocks every send of the agent; the flag is read fresh before each send.
 */
export async function setAgentSuspension(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agentId: string,
  suspended: boolean,
): Promise<Agent> {
  const agent = await deps.stores.agents.setSuspended(agentId, suspended, deps.clock.now().toISOString());
  if (agent === undefined) throw notFound(`no agent ${agentId}`);
  return agent;
}
