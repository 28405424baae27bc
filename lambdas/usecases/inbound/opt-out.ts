import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { deriveConsent } from '../../compliance/consent';
import type { InboundReading } from '../../compliance/twilio-handling';
import type { InboundClassification } from '../../compliance/types';
import type {
  Contact,
  InboundRecord,
  LedgerEventDraft,
  LedgerRecord,
  MessageRecord,
  OptOutRecord,
  OptOutSource,
  PhoneRecords,
  PhoneState,
  SenderAgent,
  StopWrite,
} from '../../ports';
import { fillTemplate, messageTexts, senderFields } from '../../rules/messages';
import { optOutConfirmationIn } from '../../rules/revocation';
import { consentEventsOf } from '../consent-events';
import type { Deps } from '../deps';
import { endCadenceAfterConsentEnds } from '../end-cadence';
import { newInboundRecord } from '../message-records';
import { describeHandling, type InboundJob, type InboundSms, type Reply } from './job';
import { outboundRecord } from './records';
import { twilioBlockOf } from './twilio-block';

export type OptOutOutcome =
  | { kind: 'opted_out'; optOutId: string; reply: Reply }
  | { kind: 'already_opted_out'; reply?: Reply }
  /** The MessageSid was handled already, or another delivery of it is being handled right now. */
  | { kind: 'duplicate' };

/** Lost races (the phone's records moved, DynamoDB's transaction conflicts) before giving up. */
const MAX_ATTEMPTS = 10;

/**
 * RULES §2 opt-out, durable before the webhook answers, in two DynamoDB round trips on a warm
 * Lambda (three when the phone has opted out before):
 * 1. one strongly consistent BatchGetItem of the phone's derived state (chain heads, opt-out
 *    head, version) and this agent's contact; only a phone with an opt-out on record has its
 *    records read too (one Query), to tell whether it is opted out for every agent already;
 * 2. one transaction: the inbound text's log entry (`attribute_not_exists`: a repeated webhook
 *    finds it), and — unless the phone is opted out for every agent already — the agent's
 *    revocation, the global opt-out, the derived state (conditioned on the version read), the
 *    one confirmation (its id derived from the phone and the opt-out head read, so concurrent
 *    STOPs — whatever their SIDs or the agent texted — create it once; none when Twilio answered
 *    the keyword itself), Twilio's block list, and the rejection of a pending double opt-in
 *    (seed 004, only when the contact has one pending);
 * 3. the confirmation goes on the send queue after the commit. A redelivery that finds the
 *    transaction done puts it on again (the queue's deduplication and the worker's conditional
 *    claim make that harmless) and finishes what a failed delivery may have left: the cadence.
 * A lost race reads again and decides again: the loser of two concurrent STOPs finds the phone
 * opted out and writes only its log entry.
 */
export async function receiveOptOut(
  deps: Deps,
  agent: SenderAgent,
  sms: InboundSms,
  reading: InboundReading,
): Promise<OptOutOutcome> {
  const source: OptOutSource = reading.act === 'opt_out' ? 'keyword' : 'revocation_phrase';
  const omit = { confirmation: false, twilioBlock: false };
  let replaces: InboundRecord | undefined;
  for (let attempt = 1; ; attempt++) {
    const { seen, contact } = await readBeforeOptOut(deps, agent, sms.from);
    const job: InboundJob = {
      deps,
      agent,
      sms,
      reading,
      receivedAt: sms.receivedAt ?? replaces?.createdAt ?? deps.clock.now().toISOString(),
      recovering: replaces !== undefined,
    };
    const plan = planOptOut(job, source, seen, contact, omit, replaces);
    const result = await deps.stores.stops.record(plan.write);
    switch (result.kind) {
      case 'written': {
        if (plan.outcome.kind !== 'opted_out') return plan.outcome;
        const optOutId = result.optOut?.id ?? '';
        if (plan.write.confirmation !== undefined) await enqueue(deps, plan.write.confirmation);
        await endCadence(deps, agent, sms, optOutId, seen, contact);
        return { ...plan.outcome, optOutId };
      }
      case 'logged': {
        const logged = result.inbound;
        if (logged.status === 'handled') {
          await finishHandled(deps, agent, sms, logged, contact);
          return { kind: 'duplicate' };
        }
        const expired =
          logged.status === 'processing' &&
          logged.leaseUntil !== undefined &&
          logged.leaseUntil < deps.clock.now().toISOString();
        if (logged.status !== 'interrupted' && !expired) return { kind: 'duplicate' };
        // An earlier delivery failed or crashed: this one takes it over, from its first receipt.
        replaces = logged;
        break;
      }
      case 'confirmation_exists':
        omit.confirmation = true;
        break;
      case 'twilio_block_later':
        omit.twilioBlock = true;
        break;
      case 'moved':
        if (attempt >= MAX_ATTEMPTS)
          throw new Error(
            `opt-out of ${sms.from}: its records kept moving; gave up after ${attempt} attempts`,
          );
        await sleep(Math.random() * Math.min(250, 10 * 2 ** attempt));
        break;
    }
  }
}

/**
 * The phone's derived state with the agent's contact (one BatchGetItem). Only a phone that has
 * opted out before can be opted out everywhere already, and only then are its records read (one
 * Query): for any other phone the state's chain heads are all the decision and the write need.
 */
async function readBeforeOptOut(
  deps: Deps,
  agent: SenderAgent,
  phone: string,
): Promise<{ seen: PhoneRecords; contact: Contact | undefined }> {
  const { state, contact } = await deps.stores.stops.read(phone, agent.agentId);
  const seen: PhoneRecords =
    state?.optOuts === undefined
      ? { phone, ledger: [], optOuts: [], ...(state === undefined ? {} : { state }) }
      : await deps.stores.ledger.readPhone(phone);
  return { seen, contact };
}

type Plan = {
  write: StopWrite;
  outcome: { kind: 'opted_out'; reply: Reply } | { kind: 'already_opted_out'; reply?: Reply };
};

/** What to write, decided on the records read. */
function planOptOut(
  job: InboundJob,
  source: OptOutSource,
  seen: PhoneRecords,
  contact: Contact | undefined,
  omit: { confirmation: boolean; twilioBlock: boolean },
  replaces: InboundRecord | undefined,
): Plan {
  const { deps, agent, sms, reading, receivedAt } = job;
  const now = deps.clock.now();
  const at = now.toISOString();
  const twilioConfirmed = reading.replyBy === 'twilio';
  const twilioBlock = omit.twilioBlock ? undefined : twilioBlockOf(job);
  const base = { seen, recordedAt: at, ...(twilioBlock === undefined ? {} : { twilioBlock }) };
  const logEntry = (outcome: Plan['outcome']) =>
    handledRecord(job, describeHandling(reading, outcome.kind), now, repliedByOf(outcome.reply), replaces);

  if (isOptedOutEverywhere(seen.ledger, seen.optOuts, agent.agentId, sms.from, now)) {
    const outcome: Plan['outcome'] = twilioConfirmed
      ? { kind: 'already_opted_out', reply: { by: 'twilio' } }
      : { kind: 'already_opted_out' };
    return { outcome, write: { ...base, inbound: logEntry(outcome), ...withReplaced(replaces) } };
  }

  const confirmation = twilioConfirmed ? undefined : confirmationRecord(job, seen.state);
  const reply: Reply =
    confirmation === undefined
      ? { by: 'twilio' }
      : { by: 'consentline', messageId: confirmation.messageId, queued: !omit.confirmation };
  const outcome: Plan['outcome'] = { kind: 'opted_out', reply };
  const revocation: LedgerEventDraft = {
    agentId: agent.agentId,
    phone: sms.from,
    channel: 'sms',
    type: 'revocation',
    at: receivedAt,
    method: 'text_reply',
    evidence: sms.body,
    capturedBy: 'inbound_sms',
    source,
    ...recognitionOf(reading.classification),
  };
  return {
    outcome,
    write: {
      ...base,
      inbound: logEntry(outcome),
      ...withReplaced(replaces),
      optOut: {
        revocation,
        optOut: {
          phone: sms.from,
          at: receivedAt,
          source,
          words: sms.body,
          agentId: agent.agentId,
          messageSid: sms.messageSid,
        },
      },
      ...(confirmation === undefined || omit.confirmation ? {} : { confirmation }),
      // Seed 004: a STOP in answer to the double opt-in request is a rejection.
      ...(contact?.doubleOptIn?.status === 'sent'
        ? { rejectDoubleOptIn: { agentId: agent.agentId, phone: sms.from } }
        : {}),
    },
  };
}

const withReplaced = (replaces: InboundRecord | undefined) => (replaces === undefined ? {} : { replaces });

const repliedByOf = (reply: Reply | undefined): string | undefined =>
  reply === undefined ? undefined : reply.by === 'twilio' ? 'twilio' : reply.messageId;

/** The inbound text's log entry as handled at once; a takeover keeps the first receipt and history. */
function handledRecord(
  job: InboundJob,
  reason: string,
  now: Date,
  repliedBy: string | undefined,
  replaces: InboundRecord | undefined,
): InboundRecord {
  const received = newInboundRecord(job.agent, job.sms, now);
  const at = now.toISOString();
  const { leaseUntil: _lease, ...rest } = received;
  return {
    ...rest,
    status: 'handled',
    createdAt: replaces?.createdAt ?? received.createdAt,
    updatedAt: at,
    history: [
      ...(replaces?.history ?? []),
      ...received.history,
      { status: 'handled', at, reasons: [reason] },
    ],
    ...(repliedBy === undefined ? {} : { repliedBy }),
  };
}

function confirmationRecord(job: InboundJob, state: PhoneState | undefined): MessageRecord {
  const { agent, sms } = job;
  return outboundRecord(job, {
    messageId: confirmationId(sms.from, state),
    kind: 'keyword_reply',
    phone: sms.from,
    // In the contact's language where the rules have it (Spanish), English otherwise.
    body: fillTemplate(
      optOutConfirmationIn(job.reading.classification.language) ?? messageTexts.optOutConfirmation,
      senderFields(agent),
    ),
    reason: `confirms the opt-out of inbound ${sms.messageSid}`,
  });
}

async function enqueue(deps: Deps, record: { messageId: string; phone: string }): Promise<void> {
  await deps.queue.enqueue({ messageId: record.messageId, phone: record.phone });
}

/**
 * A redelivery of a text handled already: what may have failed after the commit is done again,
 * harmlessly — the confirmation is put on the queue again (deduplicated there, claimed once by
 * the worker), and the cadence the opt-out ends is checked again.
 */
async function finishHandled(
  deps: Deps,
  agent: SenderAgent,
  sms: InboundSms,
  logged: InboundRecord,
  contact: Contact | undefined,
): Promise<void> {
  if (logged.repliedBy !== undefined && logged.repliedBy !== 'twilio')
    await enqueue(deps, { messageId: logged.repliedBy, phone: sms.from });
  const seen = await deps.stores.ledger.readPhone(sms.from);
  const optOut = seen.optOuts.find((record) => record.messageSid === sms.messageSid);
  if (optOut !== undefined) await endCadence(deps, agent, sms, optOut.id, seen, contact);
}

/** RULES §1: the opt-out ends the cadence of every agent it leaves without written consent. */
async function endCadence(
  deps: Deps,
  agent: SenderAgent,
  sms: InboundSms,
  optOutId: string,
  seen: PhoneRecords,
  contact: Contact | undefined,
): Promise<void> {
  await endCadenceAfterConsentEnds(deps, {
    phone: sms.from,
    eventId: optOutId,
    reason: `the contact texted "${sms.body}" (opt-out)`,
    agentId: agent.agentId,
    everyAgent: true,
    // Every agent with records for the phone has a chain head in its state.
    known: { agentIds: Object.keys(seen.state?.chains ?? {}), contacts: new Map([[agent.agentId, contact]]) },
  });
}

/** How ConsentLine heard the opt-out, for the ledger: certainty, deciding rule, rules version, language. */
function recognitionOf(classification: InboundClassification): Partial<LedgerEventDraft> {
  if (classification.kind !== 'opt_out' && classification.kind !== 'revocation') return {};
  const { certainty, rule, rulesVersion, language } = classification;
  return Object.fromEntries(
    Object.entries({ certainty, rule, rulesVersion, language }).filter(([, value]) => value !== undefined),
  );
}

/**
 * True when no agent may text the phone any more: a global opt-out outlasts every consent any
 * agent holds (`deriveConsent` says `opted_out` for each). A phone that re-consented to one agent
 * after its last opt-out is not: a new STOP to any agent opts it out again (RULES §1).
 */
function isOptedOutEverywhere(
  ledger: readonly LedgerRecord[],
  optOuts: readonly OptOutRecord[],
  agentId: string,
  phone: string,
  at: Date,
): boolean {
  if (optOuts.length === 0) return false;
  const events = consentEventsOf(ledger, optOuts);
  const agentIds = new Set([agentId, ...ledger.map((record) => record.agentId)]);
  return [...agentIds].every(
    (id) =>
      deriveConsent(events, { agentId: id, phone, channel: 'sms', at, purpose: 'manual' }).status ===
      'opted_out',
  );
}

/**
 * The opt-out confirmation's id: one per phone and opt-out chain head before the STOP. Every STOP
 * that opts the phone out on the same head (concurrent STOPs, whatever their SIDs or the agent
 * texted) maps to the same id, so the conditional create lets one through; once the opt-out is
 * written, a later STOP either finds the phone opted out everywhere (no confirmation) or follows a
 * newer consent and a newer head, and gets a confirmation of its own.
 */
function confirmationId(phone: string, state: PhoneState | undefined): string {
  const digest = createHash('sha256')
    .update(`${phone}#optouts#${state?.optOuts?.seq ?? 0}`)
    .digest('hex');
  return `optout_${digest.slice(0, 32)}`;
}
