import { lineTypeVerdict, recipientNumberRefusal } from '../compliance/recipient-number';
import type { Agent, Contact, ContactFields } from '../ports';
import type { Deps } from './deps';
import { Refused } from './errors';

/** Descriptive fields as a PUT gives them: a value sets the field, `null` clears it, absent keeps it. */
export type ContactPatch = { [K in keyof ContactFields]?: ContactFields[K] | null };

/**
 * Creates or updates one of the agent's contacts. Only descriptive fields change here:
 * consent is never a field, it lives in the ledger (RULES §1). Non-US and toll-free numbers are
 * refused (422 naming the rule, RULES §3); the line type comes from Lookup once per phone, and a
 * landline is kept as a contact with SMS marked impossible and the reason.
 */
export async function upsertContact(
  deps: Pick<Deps, 'clock' | 'stores' | 'lookup'>,
  agent: Agent,
  phone: string,
  patch: ContactPatch,
): Promise<{ contact: Contact; created: boolean }> {
  refuseNonUsNumber(phone);
  const fields: Record<string, unknown> = {};
  const clear: (keyof ContactFields)[] = [];
  for (const [key, value] of Object.entries(patch) as [keyof ContactFields, unknown][]) {
    if (value === null) clear.push(key);
    else if (value !== undefined) fields[key] = value;
  }
  const lineType = await contactLineType(deps, phone);
  if (lineType !== undefined) fields.lineType = lineType;
  const now = deps.clock.now().toISOString();
  return deps.stores.contacts.upsert(agent.agentId, phone, fields as ContactFields, now, clear);
}

/** Throws the 422 intake answers for a number that may not be a contact's. */
export function refuseNonUsNumber(phone: string): void {
  const refusal = recipientNumberRefusal(phone);
  if (refusal !== undefined) throw new Refused('phone_refused', `phone: ${refusal}`);
}

/**
 * The phone's line type, from the per-phone cache or one Lookup (cached for every agent). A
 * failed Lookup leaves it unknown — the contact is still stored — and the next save asks again.
 */
export async function contactLineType(
  deps: Pick<Deps, 'clock' | 'stores' | 'lookup'>,
  phone: string,
): Promise<Contact['lineType']> {
  let record = (await deps.stores.numbers.facts(phone)).lineType;
  if (record === undefined) {
    const answer = await deps.lookup.lineType(phone);
    if (!answer.ok) return undefined;
    record = { phone, checkedAt: deps.clock.now().toISOString(), lineType: answer.lineType, raw: answer.raw };
    await deps.stores.numbers.saveLineType(record);
  }
  const verdict = lineTypeVerdict(record.lineType);
  return {
    type: record.lineType,
    sms: verdict.sms,
    ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
    checkedAt: record.checkedAt,
  };
}
