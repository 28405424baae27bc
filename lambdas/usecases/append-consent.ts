import { validateConsentMethod } from '../compliance/consent';
import type { Agent, LedgerEventDraft, LedgerRecord } from '../ports';
import { loadConsentRecords } from './consent-events';
import type { ConsentView } from '../compliance/types';
import { summarizeConsent } from './consent-summary';
import type { Deps } from './deps';
import { HttpError, invalidField, notFound } from './errors';

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
 * 5. the event is appended to the (agent, phone) hash chain, and the new status derived.
 */
export async function appendConsent(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
  entry: ConsentEntry,
): Promise<{ event: LedgerRecord; consent: ConsentView }> {
  if (agent.suspended && entry.type !== 'revocation') {
    throw new HttpError(403, 'agent_suspended', 'a suspended agent may only log revocations');
  }
  const now = deps.clock.now();
  checkEventInstant(entry.at, now, 'body.at');
  if (entry.type === 'express_written' || entry.type === 'express_oral') {
    const check = validateConsentMethod(entry.method ?? '', entry.type, now);
    if (!check.ok) {
      throw new HttpError(422, 'not_consent', `method: ${check.reason ?? 'not a consent method'}`, {
        reason: check.reason,
      });
    }
  }

  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  if (contact === undefined)
    throw notFound(`no contact ${phone}; create it with PUT /v1/contacts/{phone} first`);
  const before = await loadConsentRecords(deps.stores, agent.agentId, phone);
  if (entry.correctsId !== undefined && !before.ledger.some((record) => record.id === entry.correctsId)) {
    throw new HttpError(
      422,
      'unknown_event',
      `correctsId: ${entry.correctsId} is not an event of this contact's ledger`,
    );
  }

  const event = await deps.stores.ledger.append(
    { ...entry, agentId: agent.agentId, phone, source: 'api' },
    now.toISOString(),
  );
  const after = await loadConsentRecords(deps.stores, agent.agentId, phone);
  return { event, consent: summarizeConsent(after.events, agent.agentId, phone, now, contact) };
}
