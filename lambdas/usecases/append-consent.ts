import { validateConsentMethod } from '../compliance/consent';
import { suspensionReason } from './set-agent-suspension';
import type { Agent, LedgerEventDraft, LedgerRecord } from '../ports';
import { loadConsentRecords } from './consent-events';
import type { ConsentView } from '../compliance/types';
import { summarizeConsent } from './consent-summary';
import type { Deps } from './deps';
import { endCadenceAfterConsentEnds } from './end-cadence';
import { Forbidden, Refused, invalidField, notFound } from './errors';

/** A consent event as an agent logs it; `at` is ISO-8601. */
export type ConsentEntry = Omit<LedgerEventDraft, 'agentId' | 'phone' | 'source'>;

const EARLIEST_CONSENT = Date.UTC(1990, 0, 1);
// Clocks of phones, forms and servers disagree by hours; more than a day ahead is a typo.
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/**
 * Rejects an event instant no ledger should hold: before 1990 or more than a day after `now`.
 * `field` names the input field in the message.
 */
export function checkEventInstant(at: string, now: Date, field: string): void {
  const instant = Date.parse(at);
  if (Number.isNaN(instant)) throw invalidField(field, 'is not an ISO-8601 date-time');
  if (instant < EARLIEST_CONSENT) throw invalidField(field, 'is before 1990');
  if (instant > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw invalidField(field, 'is more than 1 day in the future');
  }
}

/**
 * Logs a consent event for one of the agent's contacts (RULES §1):
 * 1. a suspended agent may still log a revocation, nothing else;
 * 2. `at` must be plausible;
 * 3. express written and oral consent must use a method of their kind, or the agent is told why not
 *    (a call is oral: log it as `express_oral`, or send a consent request);
 * 4. a correction must name an event of the same chain;
 * 5. the event is appended to the (agent, phone) hash chain;
 * 6. a revocation ends the cadence when the fold no longer permits automated texts;
 * 7. the new consent view is derived.
 */
export async function appendConsent(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
  entry: ConsentEntry,
): Promise<{ event: LedgerRecord; consent: ConsentView }> {
  if (agent.suspended && entry.type !== 'revocation') {
    throw new Forbidden('agent_suspended', `${suspensionReason(agent)}; it may only log revocations`, {
      reason: agent.suspendedReason,
    });
  }
  const now = deps.clock.now();
  checkEventInstant(entry.at, now, 'body.at');
  if (entry.type === 'express_written' || entry.type === 'express_oral') {
    const check = validateConsentMethod(entry.method ?? '', entry.type, now);
    if (!check.ok) {
      throw new Refused('not_consent', `method: ${check.reason ?? 'not a consent method'}`, {
        reason: check.reason,
      });
    }
  }

  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  if (contact === undefined) throw notFound(`no contact ${phone}; add the contact first`);
  const before = await loadConsentRecords(deps.stores, agent.agentId, phone);
  if (entry.correctsId !== undefined && !before.ledger.some((record) => record.id === entry.correctsId)) {
    throw new Refused(
      'unknown_event',
      `correctsId: ${entry.correctsId} is not an event of this contact's ledger`,
    );
  }

  const event = await deps.stores.ledger.append(
    { ...entry, agentId: agent.agentId, phone, source: 'api' },
    now.toISOString(),
  );
  if (event.type === 'revocation') {
    await endCadenceAfterConsentEnds(deps, {
      phone,
      eventId: event.id,
      reason: `the agent logged a revocation (${[entry.receivedVia, entry.method].filter(Boolean).join(', ') || 'no method'})`,
      agentId: agent.agentId,
      everyAgent: false,
    });
  }
  const after = await loadConsentRecords(deps.stores, agent.agentId, phone);
  // Read after the cadence may have stopped, so the caller sees the enrollment as it is now.
  return { event, consent: summarizeConsent(after.events, agent.agentId, phone, now, contact) };
}
