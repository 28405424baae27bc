import { consentTimeline } from '../rules/consent';
import { fillTemplate, messageTexts, senderFields } from '../rules/messages';
import type { Agent, ConsentRequestState, Contact } from '../ports';
import { loadConsentRecords } from './consent-events';
import { summarizeConsent } from './consent-summary';
import { submitMessage, type MessageAccepted } from './create-message';
import { newMessageRecord } from './message-records';
import type { Deps } from './deps';
import { Conflict, notFound } from './errors';

const DAY_MS = 86_400_000;

export type ConsentRequestSent = MessageAccepted & { consentRequest: ConsentRequestState };

/**
 * `POST /v1/contacts/{phone}/consent-request`: one manual text asking the contact for written
 * consent (RULES §1): who is asking, what they will get, rates, "Reply YES to agree, STOP to opt
 * out" (the text is rules data).
 * 1. the contact must exist (404);
 * 2. its consent view must permit a consent request: oral consent or an open EBR, no later
 *    revocation or opt-out, no request in the last 30 days (409 with the view's reason otherwise);
 * 3. the request is claimed on the contact with a condition, so two at once cannot both go (409);
 * 4. the text goes through the gate like every other manual text.
 * The contact's YES/START reply is then written consent with method `text_reply` whose evidence
 * names this request's message id ({@link consentRequestEvidence}).
 */
export async function requestConsent(deps: Deps, agent: Agent, phone: string): Promise<ConsentRequestSent> {
  const now = deps.clock.now();
  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  if (contact === undefined) throw notFound(`no contact ${phone}`);
  const { events } = await loadConsentRecords(deps.stores, agent.agentId, phone);
  const view = summarizeConsent(events, agent.agentId, phone, now, contact);
  if (!view.permits.consentRequest) {
    throw new Conflict('consent_request_refused', refusal(view.badge, view.reason), {
      badge: view.badge,
    });
  }

  const draft = newMessageRecord({
    agentId: agent.agentId,
    phone,
    kind: 'consent_request',
    purpose: 'manual',
    body: fillTemplate(messageTexts.consentRequest, senderFields(agent)),
    at: now,
  });
  const request: ConsentRequestState = { messageId: draft.messageId, sentAt: now.toISOString() };
  const perDays = consentTimeline.at(now).consentRequest.perDays;
  const sentBefore = new Date(now.getTime() - perDays * DAY_MS).toISOString();
  if (!(await deps.stores.contacts.claimConsentRequest(agent.agentId, phone, request, sentBefore))) {
    throw new Conflict(
      'consent_request_refused',
      `a consent request to ${phone} went out within the last ${perDays} days; one per ${perDays} days`,
    );
  }
  const accepted = await submitMessage(deps, agent, draft);
  if (accepted.verdict === 'block') {
    // Nothing will reach the phone: the request does not count against the period.
    const blocked = { ...request, blocked: true };
    await deps.stores.contacts.setConsentRequest(agent.agentId, phone, blocked);
    return { ...accepted, consentRequest: blocked };
  }
  return { ...accepted, consentRequest: request };
}

/**
 * The consent request a YES/START answers: the contact's last one, sent within the request
 * period and not answered yet.
 */
export function openConsentRequest(contact: Contact | undefined, at: Date): ConsentRequestState | undefined {
  const request = contact?.consentRequest;
  if (request === undefined || request.answeredAt !== undefined || request.blocked === true) return undefined;
  const perDays = consentTimeline.at(at).consentRequest.perDays;
  return at.getTime() - Date.parse(request.sentAt) < perDays * DAY_MS ? request : undefined;
}

/**
 * Evidence of written consent given by text: the contact's exact reply and, when it answers a
 * consent request, that request's message id.
 * @example consentRequestEvidence('YES', { messageId: 'msg_1', sentAt }) // 'reply "YES" to consent request msg_1'
 */
export function consentRequestEvidence(reply: string, request: ConsentRequestState | undefined): string {
  return request === undefined
    ? reply
    : `reply ${JSON.stringify(reply)} to consent request ${request.messageId}`;
}

function refusal(badge: string, reason: string): string {
  switch (badge) {
    case 'consented':
      return `the contact has written consent already; no consent request is needed. ${reason}`;
    case 'oral_only':
    case 'ebr_only':
      return `a consent request is not allowed now: ${reason}`;
    default:
      return `a consent request needs oral consent or an open EBR with no later revocation or opt-out: ${reason}`;
  }
}
