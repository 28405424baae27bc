import type { Agent, Contact, ContactFields } from '../ports';
import type { Deps } from './deps';

/** Descriptive fields as a PUT gives them: a value sets the field, `null` clears it, absent keeps it. */
export type ContactPatch = { [K in keyof ContactFields]?: ContactFields[K] | null };

/**
 * Creates or updates one of the agent's contacts. Only descriptive fields change here:
 * consent is never a field, it lives in the consent ledger.
 */
export async function upsertContact(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
  patch: ContactPatch,
): Promise<{ contact: Contact; created: boolean }> {
  const fields: ContactFields = {};
  const clear: (keyof ContactFields)[] = [];
  for (const [key, value] of Object.entries(patch) as [keyof ContactFields, string | null | undefined][]) {
    if (value === null) clear.push(key);
    else if (value !== undefined) fields[key] = value;
  }
  return deps.stores.contacts.upsert(agent.agentId, phone, fields, deps.clock.now().toISOString(), clear);
}
