import {
  closingAnchorOf,
  contactZone,
  planEnrollment,
  utcDay,
  type PlannedStep,
  type SkippedStep,
} from '../compliance/cadence';
import { deriveConsent } from '../compliance/consent';
import { STOPPABLE } from '../compliance/message-lifecycle';
import { gateKeyOf, type Agent, type Enrollment, type MessageRecord } from '../ports';
import { fillTemplate, messageTexts, senderFields } from '../rules/messages';
import { cadenceFor } from './cadence';
import { loadConsentRecords } from './consent-events';
import { newMessageRecord } from './message-records';
import { mapBounded } from './bounded';
import type { Deps } from './deps';
import { Conflict, Refused, notFound, type DomainError } from './errors';

const DAY_MS = 86_400_000;
/** Parallel writes per request: 22 steps in a few round trips without a burst on the table. */
export const WRITE_CONCURRENCY = 8;

export type EnrollmentStarted = {
  enrollment: Enrollment;
  /** The first text: the opt-in confirmation, or the double opt-in request. */
  optInRequest: MessageRecord;
  steps: MessageRecord[];
  /** Steps left out because their moment had passed (a closing long before the enrollment). */
  skipped: SkippedStep[];
};

/**
 * `POST /v1/contacts/{phone}/enroll`: starts the drip cadence for one of the agent's contacts.
 * 1. the contact must exist (404) and have active express written SMS consent for this agent
 *    (422 `consent_required` with the reason; RULES §1: EBR never permits automated texts);
 * 2. the enrollment is claimed atomically (409 `already_enrolled` when one is active);
 * 3. the opt-in confirmation — or, with `doubleOptIn`, the request to reply YES — is logged and
 *    queued at once: it is the first text the contact gets (RULES §4);
 * 4. every cadence step still ahead is logged as `scheduled` with its due instant, for the
 *    sweep (the store keeps it 5 years from then, RULES §6). Steps anchored to the closing count from the contact's closing date (else its
 *    latest `ebr_transaction`); those whose moment has passed are not sent late but skipped, and
 *    the enrollment records each with why (422 `nothing_to_send` when no step is left).
 *
 * With double opt-in the contact's status is `sent` once the request is queued (the send worker
 * does not track it; the gate holds back every other text until `accepted`). If a write fails
 * part way, what was written is cancelled and the enrollment stopped, so a retry starts clean.
 */
export async function enrollContact(deps: Deps, agent: Agent, phone: string): Promise<EnrollmentStarted> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  if (contact === undefined) throw notFound(`no contact ${phone}`);
  if (contact.enrollment?.status === 'active') throw alreadyEnrolled(phone);

  const { events } = await loadConsentRecords(deps.stores, agent.agentId, phone);
  const consent = deriveConsent(events, {
    agentId: agent.agentId,
    phone,
    channel: 'sms',
    at: now,
    purpose: 'automated',
  });
  if (!consent.permits) {
    throw new Refused('consent_required', consentRefusal(consent.status), {
      consentStatus: consent.status,
    });
  }

  const cadence = await cadenceFor(deps, agent.agentId);
  const zone = contactZone(contact);
  const closing = closingAnchorOf(contact, events, zone);
  const plan = planEnrollment({
    cadence,
    enrolledAt: now,
    contact,
    agent,
    zone,
    ...(closing === undefined ? {} : { closing }),
  });
  if (plan.steps.length === 0) {
    throw new Refused(
      'nothing_to_send',
      `every step of ${cadence.version} counts from the closing on ${closing?.date ?? '?'} and its moment has passed; nothing would be sent on time`,
      { skipped: plan.skipped },
    );
  }
  const enrollment: Enrollment = { cadenceVersion: cadence.version, enrolledAt: at, status: 'active' };
  if (closing !== undefined) enrollment.closing = closing;
  if (plan.skipped.length > 0) enrollment.skipped = plan.skipped;
  if (!(await deps.stores.contacts.claimEnrollment(agent.agentId, phone, enrollment)))
    throw alreadyEnrolled(phone);
  // The first sweep only looks at its own day: make sure it starts no later than this enrollment.
  await deps.stores.sweepCursor.startAfter(utcDay(new Date(now.getTime() - DAY_MS)));

  const optInRequest: MessageRecord = {
    ...newMessageRecord({
      agentId: agent.agentId,
      phone,
      kind: 'opt_in_request',
      purpose: 'automated',
      body: fillTemplate(
        agent.doubleOptIn ? messageTexts.doubleOptInRequest : messageTexts.optInConfirmation,
        senderFields(agent),
      ),
      at: now,
    }),
    history: [{ status: 'queued', at, reasons: [`first text of enrollment in ${cadence.version}`] }],
  };
  const steps = plan.steps.map((planned) =>
    scheduledStep(agent.agentId, phone, planned, cadence.version, now),
  );

  const texts = [optInRequest, ...steps];
  let written: MessageRecord[] = [];
  try {
    if (agent.doubleOptIn) await deps.stores.contacts.setDoubleOptIn(agent.agentId, phone, 'not_sent', at);
    // One transaction: all of the texts are written or none is.
    await deps.stores.messages.createFresh(texts);
    written = texts;
    await deps.queue.enqueue({ messageId: optInRequest.messageId, phone, gate: gateKeyOf(optInRequest) });
  } catch (error) {
    await undoEnrollment(deps, agent.agentId, phone, enrollment, written);
    throw error;
  }
  if (agent.doubleOptIn) await deps.stores.contacts.setDoubleOptIn(agent.agentId, phone, 'sent', at);
  return { enrollment, optInRequest, steps, skipped: plan.skipped };
}

/**
 * `DELETE /v1/contacts/{phone}/enroll`: stops the cadence. Every drip step and opt-in text not
 * yet handed to Twilio (`scheduled`, `queued`, `held`) becomes `cancelled` and leaves the due
 * index; a worker that already won `sending` finishes its one text.
 */
export async function unenrollContact(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
  reason = 'stopped by the agent',
): Promise<{ enrollment: Enrollment; cancelled: number }> {
  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  if (contact === undefined) throw notFound(`no contact ${phone}`);
  if (contact.enrollment?.status !== 'active') {
    throw new Conflict('not_enrolled', `contact ${phone} has no active enrollment`);
  }
  return stopEnrollment(deps, agent.agentId, phone, contact.enrollment, { reason });
}

/**
 * Stops an active enrollment and cancels every drip step and opt-in text not yet handed to
 * Twilio with the same reason (and the event that caused it, when one did). The enrollment is
 * stopped first, so nothing new is planned while the steps are being cancelled.
 */
export async function stopEnrollment(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agentId: string,
  phone: string,
  active: Enrollment,
  cause: { reason: string; eventId?: string },
): Promise<{ enrollment: Enrollment; cancelled: number }> {
  const at = deps.clock.now().toISOString();
  const enrollment: Enrollment = { ...active, status: 'stopped', stoppedAt: at, stoppedReason: cause.reason };
  if (cause.eventId !== undefined) enrollment.stoppedByEvent = cause.eventId;
  await deps.stores.contacts.setEnrollment(agentId, phone, enrollment);
  // Statuses are all this needs; a cancellation is entered once, on the item, whatever came before.
  const pending = (await deps.stores.messages.listByContact(agentId, phone, { history: false })).filter(
    (message): message is MessageRecord =>
      (message.kind === 'drip' || message.kind === 'opt_in_request') && STOPPABLE.includes(message.status),
  );
  const cancelled = await mapBounded(pending, WRITE_CONCURRENCY, (message) =>
    cancel(deps, message, at, cause.reason),
  );
  return { enrollment, cancelled: cancelled.filter(Boolean).length };
}

function scheduledStep(
  agentId: string,
  phone: string,
  planned: PlannedStep,
  cadenceVersion: string,
  now: Date,
): MessageRecord {
  const base = newMessageRecord({
    agentId,
    phone,
    kind: 'drip',
    purpose: 'automated',
    body: planned.body,
    at: now,
  });
  const dueAt = planned.dueAt.toISOString();
  return {
    ...base,
    status: 'scheduled',
    step: planned.step,
    anchor: planned.anchor,
    dueAt,
    history: [
      {
        status: 'scheduled',
        at: base.createdAt,
        reasons: [
          `step ${planned.step} of ${cadenceVersion}, due ${dueAt} (counted from the ${planned.anchor})`,
        ],
      },
    ],
  };
}

/** Best effort: a half-written enrollment is cancelled and stopped, never left half active. */
async function undoEnrollment(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agentId: string,
  phone: string,
  enrollment: Enrollment,
  written: MessageRecord[],
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const reason = 'enrollment failed part way; nothing of it will be sent';
  await Promise.allSettled([
    deps.stores.contacts.setEnrollment(agentId, phone, {
      ...enrollment,
      status: 'stopped',
      stoppedAt: at,
      stoppedReason: reason,
    }),
    mapBounded(written, WRITE_CONCURRENCY, (message) => cancel(deps, message, at, reason)),
  ]);
}

async function cancel(
  deps: Pick<Deps, 'stores'>,
  message: MessageRecord,
  at: string,
  reason: string,
): Promise<boolean> {
  // Once cancelled it is no longer due: the sweep never reads it again.
  const moved = await deps.stores.messages.transition(
    message.messageId,
    STOPPABLE,
    { status: 'cancelled', at, reasons: [reason] },
    {},
    message,
  );
  return moved !== undefined;
}

function alreadyEnrolled(phone: string): DomainError {
  return new Conflict('already_enrolled', `contact ${phone} is already enrolled; unenroll first to restart`);
}

function consentRefusal(status: string): string {
  switch (status) {
    case 'opted_out':
      return 'the number is on the global opt-out list; only new express written consent to this agent lifts it';
    case 'revoked':
      return 'the contact revoked consent for this agent; record new express written consent first';
    case 'number_reassigned':
      return 'the number was reassigned after every consent on record; the new owner must give express written consent';
    case 'express_oral':
      return 'oral consent permits manual texts only; automated texts need express written consent: send a consent request and the YES reply is written consent';
    case 'ebr_inquiry':
    case 'ebr_transaction':
      return `${status} does not permit automated texts; express written consent is required, because the TCPA requires prior express written consent for automated marketing texts`;
    default:
      return 'no express written SMS consent on record; the TCPA requires prior express written consent for automated marketing texts';
  }
}
