import { activeEbr, foldConsent, inForce, standingBlock, type RankedEvent } from './consent';
import type { ConsentEvent, ConsentQuery, ConsentView } from './types';

const DAY_MS = 86_400_000;

export type ConsentViewQuery = Pick<ConsentQuery, 'agentId' | 'phone' | 'at'> & {
  /** When the agent last sent this contact a consent request that is still open, if ever. */
  lastConsentRequestAt?: Date;
};

/**
 * The one truthful view of a contact's SMS consent for one agent at `q.at` (RULES §1): a badge,
 * what it permits (automated, manual, consent request), since/until, the event relied on and a
 * sentence saying why. Computed from the same fold as the gate's verdict, so the badge never
 * says more or less than the gate does.
 *
 * @example
 * describeConsent(ledger, { agentId: 'a1', phone: '+15551234567', at }).badge // 'oral_only'
 */
export function describeConsent(events: readonly ConsentEvent[], q: ConsentViewQuery): ConsentView {
  const fold = foldConsent(events, q);
  // When and how the number opted out is this agent's to see only if it opted out through them.
  const ownOptOut = fold.optOut?.event.viaAgentId === q.agentId;
  const optedOutOn = ownOptOut && fold.optOut !== undefined ? ` on ${day(fold.optOut.at)}` : '';
  const optOutNote =
    fold.optOut === undefined
      ? undefined
      : `The number opted out of texts from every agent${optedOutOn}; this agent's later consent lifts it for this agent only.`;

  if (inForce(fold, fold.written)) {
    return withNote(
      {
        badge: 'consented',
        permits: { automated: true, manual: true, consentRequest: false },
        since: iso(fold.written.at),
        reliedOn: reliedOn(fold.written),
        reason: `Written consent (${fold.written.event.method ?? 'no method'}) given ${day(fold.written.at)} permits automated and manual texts.`,
      },
      optOutNote,
    );
  }

  const requestFreeAt =
    q.lastConsentRequestAt === undefined
      ? undefined
      : q.lastConsentRequestAt.getTime() + fold.rules.consentRequest.perDays * DAY_MS;
  const requestOpen = requestFreeAt !== undefined && fold.at < requestFreeAt;
  const requestSentence = requestOpen
    ? ` A consent request was sent ${day(q.lastConsentRequestAt!.getTime())}; another may go from ${day(requestFreeAt)}.`
    : ' Send a consent request to ask for written consent.';

  if (inForce(fold, fold.oral)) {
    return withNote(
      {
        badge: 'oral_only',
        permits: { automated: false, manual: true, consentRequest: !requestOpen },
        since: iso(fold.oral.at),
        reliedOn: reliedOn(fold.oral),
        reason: `Oral consent (${fold.oral.event.method ?? 'no method'}) given ${day(fold.oral.at)} permits manual texts only; automated texts need written consent.${requestSentence}`,
      },
      optOutNote,
    );
  }

  const ebr = activeEbr(fold);
  if (ebr !== undefined) {
    const what = ebr.type === 'ebr_transaction' ? 'A closing' : 'An inquiry';
    return withNote(
      {
        badge: 'ebr_only',
        permits: { automated: false, manual: true, consentRequest: !requestOpen },
        since: iso(ebr.at),
        until: iso(ebr.expiresAt),
        reliedOn: reliedOn(ebr),
        reason: `${what} on ${day(ebr.at)} permits manual texts until ${day(ebr.expiresAt)}; automated texts need written consent.${requestSentence}`,
      },
      optOutNote,
    );
  }

  const none = { automated: false, manual: false, consentRequest: false };
  switch (standingBlock(fold)) {
    case 'opted_out':
      return {
        badge: 'opted_out',
        permits: none,
        ...(ownOptOut ? { since: iso(fold.optOut!.at) } : {}),
        reason: `The number opted out of texts from every agent${optedOutOn}; only the contact's new written consent to this agent lifts it, for this agent only.`,
      };
    case 'revoked':
      return {
        badge: 'revoked',
        permits: none,
        since: iso(fold.revocation!.at),
        reason: `The contact revoked consent for this agent on ${day(fold.revocation!.at)}; texts need new consent from the contact.`,
      };
    default:
      return {
        badge: 'no_consent',
        permits: none,
        reason:
          'No consent in force: log written consent for automated texts, or oral consent or an EBR for manual texts.',
      };
  }
}

function withNote(view: ConsentView, note: string | undefined): ConsentView {
  return note === undefined ? view : { ...view, note };
}

function reliedOn({ event, at }: RankedEvent): NonNullable<ConsentView['reliedOn']> {
  const relied: NonNullable<ConsentView['reliedOn']> = { eventId: event.id, type: event.type, at: iso(at) };
  if (event.method !== undefined) relied.method = event.method;
  return relied;
}

const iso = (at: number): string => new Date(at).toISOString();
const day = (at: number): string => iso(at).slice(0, 10);
