import type { ChainVerification } from '../ports';
import type { Deps } from './deps';

/** Whose chains to check: one agent's own, or (admin) every agent's chain holding the phone. */
export type VerificationScope = { agentId: string } | 'all_agents';

export type LedgerVerification = { phone: string; ok: boolean; chains: ChainVerification[] };

/**
 * Re-hashes the consent ledger chain(s) of a phone — and, for all agents, the phone's opt-out
 * chain — and reports the first broken link of each (RULES §6: tampering is detectable).
 */
export async function verifyLedger(
  deps: Pick<Deps, 'stores'>,
  scope: VerificationScope,
  phone: string,
): Promise<LedgerVerification> {
  const agentIds =
    scope === 'all_agents'
      ? [...new Set((await deps.stores.ledger.listByPhone(phone)).map((record) => record.agentId))].sort()
      : [scope.agentId];
  const chains = await Promise.all(agentIds.map((agentId) => deps.stores.ledger.verify(agentId, phone)));
  // The phone's opt-out chain is every agent's business, so only the all-agents (admin) check shows it.
  if (scope === 'all_agents') chains.push(await deps.stores.optouts.verify(phone));
  return { phone, ok: chains.every((chain) => chain.ok), chains };
}
