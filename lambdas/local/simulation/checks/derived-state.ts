import type { DerivedStateDrift } from '../snapshot-types';
import type { Violation } from './violation';

/**
 * The phone's derived state (chain heads, opt-out head, latest opt-out and reassignment) is what
 * the send claim and the STOP path trust instead of re-reading the records, so every writer moves
 * it in the transaction that appends the record. One violation per phone `ledger verify` found
 * drifted, at the end of the run.
 */
export function derivedStateDrift(drifts: readonly DerivedStateDrift[], endedAt: string): Violation[] {
  return drifts
    .filter((drift) => drift.differences.length > 0)
    .map((drift) => ({
      kind: 'derivedStateDrift' as const,
      phone: drift.phone,
      at: endedAt,
      detail: `derived state differs from the records: ${drift.differences.join('; ')}`,
    }));
}
