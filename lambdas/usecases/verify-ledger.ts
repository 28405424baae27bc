import { derivePhoneState, phoneStateDifferences } from '../phone-state';
import type { ChainVerification } from '../ports';
import type { Deps } from './deps';

/** Whose chains to check: one agent's own, or (admin) every agent's chain holding the phone. */
export type VerificationScope = { agentId: string } | 'all_agents';

/** The phone's stored derived state against the one recomputed from its records. */
export type StateVerification = { ok: boolean; version: number; differences: string[] };

export type LedgerVerification = {
  phone: string;
  ok: boolean;
  chains: ChainVerification[];
  /** All agents only: the derived state covers every agent's chain. */
  state?: StateVerification;
};

/**
 * Re-hashes the consent ledger chain(s) of a phone — and, for all agents, the phone's opt-out
 * chain — and reports the first broken link of each (RULES §6: tampering is detectable). For all
 * agents it also recomputes the phone's derived state (chain heads, opt-out head, latest opt-out
 * and reassignment, version) from the ledger, the opt-outs and the reassignments, and lists every
 * difference from the stored one and from the version's copy the send claim checks.
 */
export async function verifyLedger(
  deps: Pick<Deps, 'stores'>,
  scope: VerificationScope,
  phone: string,
): Promise<LedgerVerification> {
  if (scope !== 'all_agents') {
    const chain = await deps.stores.ledger.verify(scope.agentId, phone);
    return { phone, ok: chain.ok, chains: [chain] };
  }
  // The phone's opt-out chain is every agent's business, so only the all-agents (admin) check shows it.
  const [{ records, chains }, numbers, copy] = await Promise.all([
    deps.stores.ledger.verifyPhone(phone),
    deps.stores.numbers.facts(phone),
    deps.stores.caps.consentVersionCopy(phone),
  ]);
  const derived = derivePhoneState(phone, { ...records, reassignments: numbers.reassignments });
  const differences = phoneStateDifferences(records.state, derived);
  // The copy the send claim checks: on a kept counters item it is the recomputed version.
  if (copy.kept && copy.version !== derived?.version)
    differences.push(
      `the send claim's copy of the version: stored ${copy.version ?? 'nothing'}, recomputed ${derived?.version ?? 'nothing'}`,
    );
  const state = { ok: differences.length === 0, version: records.state?.version ?? 0, differences };
  return { phone, ok: state.ok && chains.every((chain) => chain.ok), chains, state };
}
