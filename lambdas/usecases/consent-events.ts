import type { ConsentEvent } from '../compliance/types';
import type { LedgerRecord, OptOutRecord } from '../ports';
import type { Stores } from './deps';

/** The records behind one agent's consent for one phone, and the same as core events. */
export type ConsentRecords = {
  /** The agent's chain for the phone, in ledger order. */
  ledger: LedgerRecord[];
  /** The phone's global opt-outs, recorded through any agent. */
  optOuts: OptOutRecord[];
  /** Both, as `deriveConsent` reads them. */
  events: ConsentEvent[];
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

/**
 * Reads everything that decides whether `agentId` may text `phone`: the agent's own ledger
 * chain plus the phone's global opt-outs. Both the API and the send path fold this.
 */
export async function loadConsentRecords(
  stores: Pick<Stores, 'ledger' | 'optouts'>,
  agentId: string,
  phone: string,
): Promise<ConsentRecords> {
  const [ledger, optOuts] = await Promise.all([
    stores.ledger.list(agentId, phone),
    stores.optouts.list(phone),
  ]);
  return {
    ledger,
    optOuts,
    events: consentEventsOf(ledger, optOuts),
  };
}
