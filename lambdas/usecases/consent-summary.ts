import { deriveConsent } from '../compliance/consent';
import type { ConsentEvent, ConsentStatus } from '../compliance/types';

/** What an agent is shown about a contact's consent: the derived status and what it allows now. */
export type ConsentSummary = {
  status: ConsentStatus;
  /** Whether a text of each purpose may rely on the ledger now. */
  permits: { automated: boolean; manual: boolean };
  /** End of the EBR window the status names, when the status is an EBR. */
  ebrExpiresAt?: string;
  /**
   * The number is on the platform's global opt-out list. Only this agent's own express consent
   * given after the opt-out lifts it, and only for this agent.
   */
  optedOut: boolean;
  /** Ids of the ledger events each permission rests on. */
  reliedOn: { automated?: string; manual?: string };
};

/**
 * Folds the events into the agent-facing summary at `at`. The status is the automated view
 * (which shows the longest running EBR); `permits.manual` separately answers for typed replies,
 * which may also rest on an inquiry window.
 */
export function summarizeConsent(
  events: readonly ConsentEvent[],
  agentId: string,
  phone: string,
  at: Date,
): ConsentSummary {
  const query = { agentId, phone, channel: 'sms', at } as const;
  const automated = deriveConsent(events, { ...query, purpose: 'automated' });
  const manual = deriveConsent(events, { ...query, purpose: 'manual' });
  const summary: ConsentSummary = {
    status: automated.status,
    permits: { automated: automated.permits, manual: manual.permits },
    optedOut: events.some((event) => event.type === 'global_opt_out' && event.phone === phone),
    reliedOn: { automated: automated.reliedOn, manual: manual.reliedOn },
  };
  if (automated.ebrExpiresAt !== undefined) summary.ebrExpiresAt = automated.ebrExpiresAt.toISOString();
  return summary;
}
