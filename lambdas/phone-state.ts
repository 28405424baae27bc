import type { LedgerRecord, OptOutRecord, PhoneState, ReassignmentRecord } from './ports';

/** The records a phone's derived state adds up (each kind as stored). */
export type PhoneStateRecords = {
  ledger?: readonly LedgerRecord[];
  optOuts?: readonly OptOutRecord[];
  reassignments?: readonly ReassignmentRecord[];
};

/**
 * The derived state after `records` are added to `state` (undefined: the phone had none). The
 * same fold recomputes the state from every record of the phone, so what a writer stores and what
 * verification derives agree unless a record or the state was changed behind the writers' back.
 */
export function advancePhoneState(
  phone: string,
  state: PhoneState | undefined,
  records: PhoneStateRecords,
): PhoneState {
  const next: PhoneState = {
    phone,
    version: state?.version ?? 0,
    chains: { ...state?.chains },
  };
  if (state?.optOuts !== undefined) next.optOuts = state.optOuts;
  if (state?.lastOptOutAt !== undefined) next.lastOptOutAt = state.lastOptOutAt;
  if (state?.lastReassignedAt !== undefined) next.lastReassignedAt = state.lastReassignedAt;
  for (const event of records.ledger ?? []) {
    next.version += 1;
    const head = next.chains[event.agentId];
    if (head === undefined || event.seq > head.seq)
      next.chains[event.agentId] = { seq: event.seq, hash: event.hash };
  }
  for (const optOut of records.optOuts ?? []) {
    next.version += 1;
    if (next.optOuts === undefined || optOut.seq > next.optOuts.seq)
      next.optOuts = { seq: optOut.seq, hash: optOut.hash };
    next.lastOptOutAt = latest(next.lastOptOutAt, optOut.at);
  }
  for (const reassignment of records.reassignments ?? []) {
    next.version += 1;
    next.lastReassignedAt = latest(next.lastReassignedAt, reassignment.at);
  }
  return next;
}

/** The derived state recomputed from every record of the phone; undefined when it has none. */
export function derivePhoneState(phone: string, records: PhoneStateRecords): PhoneState | undefined {
  const count =
    (records.ledger?.length ?? 0) + (records.optOuts?.length ?? 0) + (records.reassignments?.length ?? 0);
  return count === 0 ? undefined : advancePhoneState(phone, undefined, records);
}

/** Where a stored state and the one recomputed from the records differ, one line each (none: they agree). */
export function phoneStateDifferences(
  stored: PhoneState | undefined,
  derived: PhoneState | undefined,
): string[] {
  if (stored === undefined && derived === undefined) return [];
  if (stored === undefined) return ['the derived state is missing though the phone has records'];
  if (derived === undefined) return ['a derived state is stored though the phone has no records'];
  const differences: string[] = [];
  const compare = (field: string, kept: unknown, recomputed: unknown) => {
    if (JSON.stringify(kept) !== JSON.stringify(recomputed))
      differences.push(`${field}: stored ${describe(kept)}, recomputed ${describe(recomputed)}`);
  };
  compare('version', stored.version, derived.version);
  for (const agentId of [...new Set([...Object.keys(stored.chains), ...Object.keys(derived.chains)])].sort())
    compare(`chain head of ${agentId}`, stored.chains[agentId], derived.chains[agentId]);
  compare('opt-out chain head', stored.optOuts, derived.optOuts);
  compare('latest opt-out', stored.lastOptOutAt, derived.lastOptOutAt);
  compare('latest reassignment', stored.lastReassignedAt, derived.lastReassignedAt);
  return differences;
}

const latest = (a: string | undefined, b: string): string => (a === undefined || b > a ? b : a);

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null && 'seq' in value) {
    const head = value as { seq: number; hash: string };
    return `seq ${head.seq} (${head.hash.slice(0, 12)}…)`;
  }
  return String(value);
}
