import type { Agent, Contact, ContactFields } from '../ports';
import type { Deps } from './deps';

/**
 * Creates or updates one of the agent's contacts. Only descriptive fields change here:
 * consent is never a field, it lives in the ledger (RULES §1).
 */
export async function upsertContact(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
  fields: ContactFields,
): Promise<{ contact: Contact; created: boolean }> {
  return deps.stores.contacts.upsert(agent.agentId, phone, fields, deps.clock.now().toISOString());
}
