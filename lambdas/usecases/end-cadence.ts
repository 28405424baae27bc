import { deriveConsent } from '../compliance/consent';
import type { Contact } from '../ports';
import { loadConsentRecords } from './consent-events';
import type { Deps } from './deps';
import { stopEnrollment } from './enroll';

/** What ended the consent: the revocation or opt-out event and a reason the agent reads. */
export type ConsentEnd = {
  phone: string;
  eventId: string;
  reason: string;
  /** The agent it reached or was logged by, when there is one. */
  agentId?: string;
  /** A global opt-out: every agent holding a consent chain for the phone is checked too. */
  everyAgent: boolean;
  /**
   * What the caller read already, to save round trips: the agents with records for the phone
   * (e.g. the chain heads of its derived state), contacts by agent.
   */
  known?: {
    agentIds?: readonly string[];
    contacts?: ReadonlyMap<string, Contact | undefined>;
  };
};

/**
 * RULES §1: a revocation or opt-out ends the contact's cadence. Called right after such an event
 * is written (STOP, a revocation the agent logs, Twilio 21610): every active enrollment of the
 * phone whose consent no longer permits automated texts is stopped, with the reason and the
 * event, and its pending steps are cancelled with that reason — nothing is left to be blocked one
 * by one for ten years. Re-enrolling then needs new written consent (`enrollContact` checks it).
 * An enrollment the fold still permits (a revocation covering another channel) keeps running.
 *
 * @returns the agents whose enrollment was stopped, with how many steps were cancelled.
 */
export async function endCadenceAfterConsentEnds(
  deps: Pick<Deps, 'clock' | 'stores'>,
  end: ConsentEnd,
): Promise<{ agentId: string; cancelled: number }[]> {
  // Only an agent with consent on its ledger can have enrolled the phone.
  const chains = end.everyAgent
    ? (end.known?.agentIds ??
      (await deps.stores.ledger.listByPhone(end.phone)).map((record) => record.agentId))
    : [];
  const agentIds = new Set([...(end.agentId === undefined ? [] : [end.agentId]), ...chains]);
  const stopped = await Promise.all(
    [...agentIds].map(async (agentId) => {
      const contact = end.known?.contacts?.has(agentId)
        ? end.known.contacts.get(agentId)
        : await deps.stores.contacts.get(agentId, end.phone);
      if (contact?.enrollment?.status !== 'active') return undefined;
      const { events } = await loadConsentRecords(deps.stores, agentId, end.phone);
      const consent = deriveConsent(events, {
        agentId,
        phone: end.phone,
        channel: 'sms',
        at: deps.clock.now(),
        purpose: 'automated',
      });
      if (consent.permits) return undefined;
      const { cancelled } = await stopEnrollment(deps, agentId, end.phone, contact.enrollment, {
        reason: end.reason,
        eventId: end.eventId,
      });
      return { agentId, cancelled };
    }),
  );
  return stopped.filter((entry) => entry !== undefined);
}
