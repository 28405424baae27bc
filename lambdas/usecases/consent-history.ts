import type { Agent, LedgerRecord, OptOutRecord } from '../ports';
import { loadConsentRecords } from './consent-events';
import type { ConsentView } from '../compliance/types';
import { summarizeConsent } from './consent-summary';
import type { Deps } from './deps';
import { notFound } from './errors';

/** What another agent's opt-out is shown as: the fact, and nothing an agent could probe with. */
export const PLATFORM_WIDE_NOTE = 'opted out platform-wide' as const;

/**
 * A global opt-out as one agent may see it. Its own (the reply came to its number): when, how and
 * the contact's words. Another agent's: only that the number opted out platform-wide — no time,
 * no source, no words, no id, so an agent cannot learn when or how a number left someone else.
 */
export type OptOutEntry =
  | {
      kind: 'global_opt_out';
      viaThisAgent: true;
      id: string;
      at: string;
      recordedAt: string;
      source: OptOutRecord['source'];
      words?: string;
    }
  | { kind: 'global_opt_out'; viaThisAgent: false; note: typeof PLATFORM_WIDE_NOTE };

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
  const dated: DatedEntry[] = [
    ...records.ledger.map((record) => ({ kind: 'ledger' as const, ...record })),
    ...records.optOuts.filter((record) => record.agentId === agent.agentId).map(ownOptOut(agent.agentId)),
  ];
  // Other agents' opt-outs carry no time, so they go after everything dated; one says it all.
  const otherAgents = records.optOuts.some((record) => record.agentId !== agent.agentId)
    ? [{ kind: 'global_opt_out' as const, viaThisAgent: false as const, note: PLATFORM_WIDE_NOTE }]
    : [];
  const history: HistoryEntry[] = [...dated.sort(oldestFirst), ...otherAgents];
  return {
    phone,
    consent: summarizeConsent(records.events, agent.agentId, phone, deps.clock.now(), contact),
    history,
  };
}

function optOutEntry(record: OptOutRecord, agentId: string): OptOutEntry {
  if (record.agentId !== agentId) {
    return { kind: 'global_opt_out', viaThisAgent: false, note: PLATFORM_WIDE_NOTE };
  }
  const entry: OptOutEntry = {
    kind: 'global_opt_out',
    viaThisAgent: true,
    id: record.id,
    at: record.at,
    recordedAt: record.recordedAt,
    source: record.source,
  };
  if (record.words !== undefined) entry.words = record.words;
  return entry;
}

type DatedEntry = Exclude<HistoryEntry, { viaThisAgent: false }>;

const ownOptOut = (agentId: string) => (record: OptOutRecord) => optOutEntry(record, agentId) as DatedEntry;

/** By event time, then by when it was recorded, then chain order: stable for equal instants. */
function oldestFirst(a: DatedEntry, b: DatedEntry): number {
  return (
    Date.parse(a.at) - Date.parse(b.at) ||
    Date.parse(a.recordedAt) - Date.parse(b.recordedAt) ||
    (a.kind === 'ledger' && b.kind === 'ledger' ? a.seq - b.seq : 0)
  );
}
