import type { ConsentEvent } from '../compliance/types';
import type {
  LedgerRecord,
  NumberFacts,
  OptOutRecord,
  PhoneRecords,
  PhoneState,
  ReassignmentRecord,
} from '../ports';
import { deriveConsent } from '../compliance/consent';
import type { Deps, Stores } from './deps';

/** The records behind one agent's consent for one phone, and the same as core events. */
export type ConsentRecords = {
  /** The agent's chain for the phone, in ledger order. */
  ledger: LedgerRecord[];
  /** The phone's global opt-outs, recorded through any agent. */
  optOuts: OptOutRecord[];
  /** The phone's Lookup answers and `number_reassigned` events. */
  numbers: NumberFacts;
  /** All of them, as `deriveConsent` reads them. */
  events: ConsentEvent[];
  /** The phone's derived state as read with them (undefined before its first record). */
  state?: PhoneState;
};

/** A ledger record as the compliance core sees it. */
export function ledgerConsentEvent(record: LedgerRecord): ConsentEvent {
  return {
    id: record.id,
    agentId: record.agentId,
    phone: record.phone,
    channel: record.channel,
    type: record.type,
    at: new Date(record.at),
    method: record.method,
    evidence: record.evidence,
    capturedBy: record.capturedBy,
    recordedAt: new Date(record.recordedAt),
    sequence: record.seq,
    ...(record.receivedVia === undefined ? {} : { receivedVia: record.receivedVia }),
  };
}

/**
 * A global opt-out as a core event: agent `'*'` because it suppresses the number for every
 * agent (RULES §1), channel `sms` because an opt-out is a reply to texts. One written with a
 * revocation of `chain` takes that revocation's place in the chain, so a START recorded after it
 * at the same instant is known to come later.
 */
export function optOutConsentEvent(record: OptOutRecord, chain: readonly LedgerRecord[] = []): ConsentEvent {
  const event: ConsentEvent = {
    id: record.id,
    agentId: '*',
    phone: record.phone,
    channel: 'sms',
    type: 'global_opt_out',
    at: new Date(record.at),
    method: record.source,
    evidence: record.words,
    recordedAt: new Date(record.recordedAt),
  };
  if (record.agentId !== undefined) event.viaAgentId = record.agentId;
  const revocation =
    record.revocationId === undefined ? undefined : chain.find((entry) => entry.id === record.revocationId);
  if (revocation !== undefined) {
    event.sequence = revocation.seq;
    event.chainAgentId = revocation.agentId;
  }
  return event;
}

/** The agent's chain and the phone's opt-outs as core events. */
export function consentEventsOf(
  ledger: readonly LedgerRecord[],
  optOuts: readonly OptOutRecord[],
): ConsentEvent[] {
  return [...ledger.map(ledgerConsentEvent), ...optOuts.map((record) => optOutConsentEvent(record, ledger))];
}

/** A reassignment as a core event: agent `'*'`, it voids earlier consents for every agent (RULES §1). */
export function reassignmentConsentEvent(record: ReassignmentRecord): ConsentEvent {
  return {
    id: record.id,
    agentId: '*',
    phone: record.phone,
    channel: 'sms',
    type: 'number_reassigned',
    at: new Date(record.at),
    method: record.source,
    evidence: `reassigned since ${record.lastVerifiedDate}`,
    recordedAt: new Date(record.recordedAt),
  };
}

/**
 * Reads everything that decides whether `agentId` may text `phone`: the agent's own ledger
 * chain plus the phone's global opt-outs, both from the phone's one item collection (one
 * consistent read, so the chain and the opt-outs are of the same moment), and the number's
 * reassignments when it has any. Both the API and the send path fold this; the send path reads
 * the cached reassigned-number answer in the gate's batch.
 */
export async function loadConsentRecords(
  stores: Pick<Stores, 'ledger' | 'numbers'>,
  agentId: string,
  phone: string,
): Promise<ConsentRecords> {
  const records = await stores.ledger.readPhone(phone);
  return consentRecordsOf(agentId, records, await reassignmentsOf(stores, records));
}

/**
 * The phone's reassignments without its Lookup answers: every reassignment moves the phone's
 * derived state (`lastReassignedAt`) in the same transaction, so a state without one proves
 * there is none to read; otherwise one more Query.
 */
async function reassignmentsOf(stores: Pick<Stores, 'numbers'>, records: PhoneRecords): Promise<NumberFacts> {
  if (records.state?.lastReassignedAt === undefined) return { reassignments: [] };
  const { reassignments } = await stores.numbers.facts(records.phone);
  return { reassignments };
}

/** The agent's consent records out of one read of the phone's item collection and its number facts. */
export function consentRecordsOf(
  agentId: string,
  records: PhoneRecords,
  numbers: NumberFacts,
): ConsentRecords {
  const ledger = records.ledger.filter((record) => record.agentId === agentId);
  const optOuts = [...records.optOuts].sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  return {
    ledger,
    optOuts,
    numbers,
    events: [...consentEventsOf(ledger, optOuts), ...numbers.reassignments.map(reassignmentConsentEvent)],
    ...(records.state === undefined ? {} : { state: records.state }),
  };
}

/** Whether the agent's consent for the phone permits automated texts now, read fresh. */
export async function permitsAutomated(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agentId: string,
  phone: string,
): Promise<boolean> {
  const { events } = await loadConsentRecords(deps.stores, agentId, phone);
  return deriveConsent(events, { agentId, phone, channel: 'sms', at: deps.clock.now(), purpose: 'automated' })
    .permits;
}
