import type { Agent, LedgerRecord, OptOutRecord } from '../ports';
import { loadConsentRecords } from './consent-events';
import type { ConsentView } from '../compliance/types';
import { summarizeConsent } from './consent-summary';
import type { Deps } from './deps';
import { notFound } from './errors';

/** A global opt-out as one agent may see it: whose number received it stays private. */
export type OptOutEntry = {
  kind: 'global_opt_out';
  id: string;
  at: string;
  recordedAt: string;
  source: OptOutRecord['source'];
  /** Whether the opt-out reached this agent's own number. */
  viaThisAgent: boolean;
  /** The contact's words, shown only when they were sent to this agent. */
  words?: string;
};

export type HistoryEntry = ({ kind: 'ledger' } & LedgerRecord) | OptOutEntry;

export type ConsentHistory = { phone: string; consent: ConsentView; history: HistoryEntry[] };

/**
 * The derived status and every event behind it, oldest first: the agent's own ledger chain
 * and the phone's global opt-outs. Not found when the agent has neither a contact nor a ledger
 * event for the phone, so other agents' activity never shows.
 */
export async function consentHistory(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
): Promise<ConsentHistory> {
  const [contact, records] = await Promise.all([
    deps.stores.contacts.get(agent.agentId, phone),
    loadConsentRecords(deps.stores, agent.agentId, phone),
  ]);
  if (contact === undefined && records.ledger.length === 0) throw notFound(`no contact ${phone}`);
  const history: HistoryEntry[] = [
    ...records.ledger.map((record) => ({ kind: 'ledger' as const, ...record })),
    ...records.optOuts.map((record) => optOutEntry(record, agent.agentId)),
  ].sort(oldestFirst);
  return {
    phone,
    consent: summarizeConsent(records.events, agent.agentId, phone, deps.clock.now(), contact),
    history,
  };
}

function optOutEntry(record: OptOutRecord, agentId: string): OptOutEntry {
  const viaThisAgent = record.agentId === agentId;
  const entry: OptOutEntry = {
    kind: 'global_opt_out',
    id: record.id,
    at: record.at,
    recordedAt: record.recordedAt,
    source: record.source,
    viaThisAgent,
  };
  if (viaThisAgent && record.words !== undefined) entry.words = record.words;
  return entry;
}

/** By event time, then by when it was recorded, then chain order: stable for equal instants. */
function oldestFirst(a: HistoryEntry, b: HistoryEntry): number {
  return (
    Date.parse(a.at) - Date.parse(b.at) ||
    Date.parse(a.recordedAt) - Date.parse(b.recordedAt) ||
    (a.kind === 'ledger' && b.kind === 'ledger' ? a.seq - b.seq : 0)
  );
}
