import type { Agent } from '../ports';
import type { Deps } from './deps';
import { notFound } from './errors';

/**
 * Suspends an agent pending investigation, with the admin's reason, or lifts the suspension
 * (RULES §6). While suspended every write of the agent is refused (403 `agent_suspended`) and
 * the gate blocks each queued, held or scheduled text with the reason; the send worker reads
 * the flag again right before Twilio.
 */
export async function setAgentSuspension(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agentId: string,
  suspended: boolean,
  reason?: string,
): Promise<Agent> {
  const agent = await deps.stores.agents.setSuspended(
    agentId,
    suspended,
    deps.clock.now().toISOString(),
    reason,
  );
  if (agent === undefined) throw notFound(`no agent ${agentId}`);
  return agent;
}

/** What a suspended agent is told, and what blocked texts carry: the suspension with its reason. */
export function suspensionReason(agent: Pick<Agent, 'suspendedReason' | 'suspendedAt'>): string {
  const since = agent.suspendedAt === undefined ? '' : ` since ${agent.suspendedAt}`;
  return `account suspended pending review${since}: ${agent.suspendedReason ?? 'no reason given'}`;
}
