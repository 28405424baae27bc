import type { Agent, Contact } from '../ports';
import { loadConsentRecords } from './consent-events';
import type { ConsentView } from '../compliance/types';
import { summarizeConsent } from './consent-summary';
import type { Deps } from './deps';
import { notFound } from './errors';

/** One of the agent's contacts with what the ledger allows right now. */
export async function getContact(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
): Promise<{ contact: Contact; consent: ConsentView }> {
  // Contacts are keyed by agent, so another agent's contact is simply not found here.
  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  if (contact === undefined) throw notFound(`no contact ${phone}`);
  const { events } = await loadConsentRecords(deps.stores, agent.agentId, phone);
  return { contact, consent: summarizeConsent(events, agent.agentId, phone, deps.clock.now(), contact) };
}
