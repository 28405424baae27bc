import { ERASED_FIELDS, type Agent, type Contact, type ContactErasure } from '../ports';
import type { Deps } from './deps';
import { stopEnrollment } from './enroll';
import { Conflict, notFound } from './errors';

/** Why the enrollment of an erased contact stops, as the agent reads it. */
export const ERASURE_STOP_REASON = 'the contact asked to be erased';

/**
 * Erases a contact's personal details at the contact's request: name, address and notes go, and
 * the contact is marked erased; the consent ledger, the opt-outs and the message log stay (the
 * law requires them as proof), and the erasure itself is recorded, put-only: who, when, why and
 * which fields went. An active cadence stops (its texts would greet someone who asked to be
 * forgotten). `NotFound` when there is no such contact, `Conflict` when it was erased already:
 * nothing is written then.
 */
export async function eraseContact(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
  request: { reason: string; by?: string },
): Promise<{ contact: Contact; erasure: ContactErasure; cancelled: number }> {
  const before = await deps.stores.contacts.get(agent.agentId, phone);
  if (before === undefined) throw notFound(`no contact ${phone}`);
  if (before.erasedAt !== undefined) throw alreadyErased(phone, before.erasedAt);
  const erasure: ContactErasure = {
    agentId: agent.agentId,
    phone,
    at: deps.clock.now().toISOString(),
    by: request.by ?? agent.name,
    reason: request.reason,
    erased: ERASED_FIELDS.filter((field) => before[field] !== undefined),
  };
  const outcome = await deps.stores.contacts.erase(erasure);
  if (outcome === 'missing') throw notFound(`no contact ${phone}`);
  if (outcome === 'erased') {
    const now = await deps.stores.contacts.get(agent.agentId, phone);
    throw alreadyErased(phone, now?.erasedAt ?? erasure.at);
  }
  const cancelled =
    before.enrollment?.status === 'active'
      ? (await stopEnrollment(deps, agent.agentId, phone, before.enrollment, { reason: ERASURE_STOP_REASON }))
          .cancelled
      : 0;
  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  return { contact: contact!, erasure, cancelled };
}

function alreadyErased(phone: string, at: string): Conflict {
  return new Conflict('already_erased', `the contact ${phone} was erased at ${at}; nothing written`, {
    erasedAt: at,
  });
}
