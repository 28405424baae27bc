import { describeConsent } from '../compliance/consent-view';
import type { ConsentEvent, ConsentView } from '../compliance/types';
import type { Contact } from '../ports';

/**
 * The contact's consent as this agent sees it at `at` — the one view the API, the CLI and the
 * audit show (badge, permits, since/until, the event relied on, why). The contact's last consent
 * request, when it has one, limits `permits.consentRequest`.
 */
export function summarizeConsent(
  events: readonly ConsentEvent[],
  agentId: string,
  phone: string,
  at: Date,
  contact?: Pick<Contact, 'consentRequest'>,
): ConsentView {
  const sentAt = contact?.consentRequest?.sentAt;
  return describeConsent(events, {
    agentId,
    phone,
    at,
    lastConsentRequestAt: sentAt === undefined ? undefined : new Date(sentAt),
  });
}
