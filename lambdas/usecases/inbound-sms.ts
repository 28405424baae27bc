import { createHash } from 'node:crypto';
import { deriveConsent } from '../compliance/consent';
import { classifyInbound } from '../compliance/keywords';
import type { InboundClassification } from '../compliance/types';
import type {
  Agent,
  Contact,
  LedgerEventDraft,
  LedgerRecord,
  MessageKind,
  MessageRecord,
  OptOutRecord,
  OptOutSource,
} from '../ports';
import { fillTemplate, messageTexts, senderFields } from '../rules/messages';
import { optOutConfirmationIn } from '../rules/revocation';
import { ledgerConsentEvent, optOutConsentEvent } from './consent-events';
import type { Deps } from './deps';

/** The fields of Twilio's inbound SMS webhook this use case reads. */
export type InboundSms = {
  messageSid: string;
  /** The contact's phone, E.164. */
  from: string;
  /** The agent's sender number, E.164. */
  to: string;
  /** Exactly as the contact typed it: it is the evidence of an opt-out or opt-in. */
  body: string;
};

/** What the webhook did; Twilio gets the same empty TwiML for every outcome (replies go through the send path). */
export type InboundSmsOutcome =
  | { kind: 'unknown_number' }
  /** The SID was handled already, or another delivery of it is being handled right now. */
  | { kind: 'duplicate' }
  | { kind: 'opted_out'; optOutId: string; confirmationId: string; confirmationQueued: boolean }
  | { kind: 'already_opted_out' }
  | { kind: 'opted_in'; consentEventId: string; replyId: string }
  | { kind: 'help'; replyId: string }
  | { kind: 'forwarded'; forwardId: string };

/**
 * How long one webhook delivery may hold an inbound message before a retry may take it over. It
 * must outlast the webhook function's timeout (≤ 10 s), and it is shorter than Twilio's own 15 s
 * webhook timeout, so a retry Twilio sends after a crashed delivery finds the claim expired.
 */
export const PROCESSING_LEASE_MS = 12_000;

const RETENTION_YEARS = 6;

/**
 * Handles a text a contact sent to an agent's number (RULES §2), in this order:
 * 1. the agent is found by the number texted; an unknown number changes nothing;
 * 2. the message is logged under `inbound_<MessageSid>` with a conditional create, so a
 *    redelivery of the same SID has no further effect (one that failed midway is taken over);
 * 3. the text is classified: an opt-out or revocation writes the agent's revocation and the
 *    phone's global opt-out in one transaction before anything else, then queues exactly one
 *    confirmation; START/UNSTOP/YES records express written consent for this agent only; HELP
 *    queues the help text; anything else is forwarded to the agent's own phone.
 *
 * Every reply is a message record put on the send queue: the send worker runs the gate and is
 * the only caller of Twilio.
 */
export async function receiveInboundSms(deps: Deps, sms: InboundSms): Promise<InboundSmsOutcome> {
  const agent = await deps.stores.agents.findBySenderNumber(sms.to);
  if (agent === undefined) return { kind: 'unknown_number' };

  const classification = classifyInbound(sms.body);
  // A STOP's reads go out alongside the claim: they are on the path to the opt-out being durable.
  const optOutState = isOptOut(classification) ? readOptOutState(deps, agent, sms) : undefined;
  const settled = async () => void (await optOutState?.catch(() => undefined));
  const claim = await claimInbound(deps, agent, sms).catch(async (error: unknown) => {
    await settled();
    throw error;
  });
  if (claim === undefined) {
    await settled();
    return { kind: 'duplicate' };
  }
  const job: InboundJob = { deps, agent, sms, receivedAt: claim.createdAt, recovering: claim.recovering };
  try {
    const outcome = await respond(job, classification, optOutState);
    await finishInbound(deps, claim.messageId, 'delivered', [describeOutcome(classification, outcome)]);
    return outcome;
  } catch (error) {
    // Best effort: if even this fails the claim expires after the lease and a retry takes it over.
    await finishInbound(deps, claim.messageId, 'failed', [`processing failed: ${String(error)}`]).catch(
      () => undefined,
    );
    throw error;
  }
}

/** One claimed inbound message being handled; `recovering` when an earlier attempt failed midway. */
type InboundJob = { deps: Deps; agent: Agent; sms: InboundSms; receivedAt: string; recovering: boolean };

const isOptOut = (classification: InboundClassification): boolean =>
  classification.kind === 'opt_out' || classification.kind === 'revocation';

async function respond(
  job: InboundJob,
  classification: InboundClassification,
  optOutState: Promise<OptOutState> | undefined,
): Promise<InboundSmsOutcome> {
  switch (classification.kind) {
    case 'opt_out':
    case 'revocation':
      return optOut(
        job,
        classification,
        await (optOutState ?? readOptOutState(job.deps, job.agent, job.sms)),
      );
    case 'opt_in':
      return optIn(job);
    case 'help':
      return help(job);
    case 'other':
      return forward(job);
  }
}

// ---------- idempotency on MessageSid ----------

type Claim = { messageId: string; createdAt: string; recovering: boolean };

/**
 * Takes the inbound message for this delivery. Undefined when it is done already or another
 * delivery holds it. A claim left `failed`, or `sending` past the lease (a crashed delivery),
 * is taken over with a conditional transition so only one retry wins.
 */
async function claimInbound(deps: Deps, agent: Agent, sms: InboundSms): Promise<Claim | undefined> {
  const { messages } = deps.stores;
  const now = deps.clock.now();
  const record = inboundRecord(agent, sms, now.toISOString());
  if (await messages.create(record)) {
    return { messageId: record.messageId, createdAt: record.createdAt, recovering: false };
  }
  const existing = await messages.get(record.messageId);
  if (existing === undefined) throw new Error(`inbound ${record.messageId} exists but cannot be read`);
  const at = now.toISOString();
  if (existing.status === 'sending' && now.getTime() - Date.parse(existing.updatedAt) > PROCESSING_LEASE_MS) {
    await messages.transition(record.messageId, ['sending'], {
      status: 'failed',
      at,
      reasons: ['the delivery processing it did not finish within the lease'],
    });
  } else if (existing.status !== 'failed') {
    return undefined;
  }
  const retaken = await messages.transition(record.messageId, ['failed'], {
    status: 'sending',
    at,
    reasons: ['a redelivery takes over the unfinished processing'],
  });
  return retaken && { messageId: retaken.messageId, createdAt: retaken.createdAt, recovering: true };
}

async function finishInbound(
  deps: Deps,
  messageId: string,
  status: 'delivered' | 'failed',
  reasons: string[],
): Promise<void> {
  await deps.stores.messages.transition(messageId, ['sending'], {
    status,
    at: deps.clock.now().toISOString(),
    reasons,
  });
}

// ---------- the four answers ----------

/**
 * RULES §2 opt-out: unless the phone is opted out for every agent already, the revocation and the
 * global opt-out are written in one transaction (durable before the webhook answers), then one
 * confirmation is queued. Its id is derived from the phone and the latest consent on record, so
 * concurrent STOPs — whatever their SIDs or the agent texted — create it once.
 */
async function optOut(
  job: InboundJob,
  classification: InboundClassification,
  { ledger, optOuts, contact }: OptOutState,
): Promise<InboundSmsOutcome> {
  const { deps, agent, sms, receivedAt } = job;
  const source: OptOutSource = classification.kind === 'opt_out' ? 'keyword' : 'revocation_phrase';
  const now = deps.clock.now();
  // A delivery that failed after writing the opt-out finds its own record: only the confirmation is left.
  const written = optOuts.find((record) => record.messageSid === sms.messageSid);
  if (written === undefined && isOptedOutEverywhere(ledger, optOuts, agent.agentId, sms.from, now)) {
    return { kind: 'already_opted_out' };
  }

  const at = now.toISOString();
  const optOutId =
    written?.id ??
    (
      await deps.stores.ledger.appendOptOut(
        {
          agentId: agent.agentId,
          phone: sms.from,
          channel: 'sms',
          type: 'revocation',
          at: receivedAt,
          method: 'text_reply',
          evidence: sms.body,
          capturedBy: 'inbound_sms',
          source,
          ...recognitionOf(classification),
        },
        {
          phone: sms.from,
          at: receivedAt,
          source,
          words: sms.body,
          agentId: agent.agentId,
          messageSid: sms.messageSid,
        },
        at,
      )
    ).optOut.id;

  const confirmation = outboundRecord(job, {
    messageId: confirmationId(sms.from, ledger),
    kind: 'keyword_reply',
    phone: sms.from,
    // In the contact's language where the rules have it (Spanish), English otherwise.
    body: fillTemplate(optOutConfirmationIn(classification.language) ?? messageTexts.optOutConfirmation, senderFields(agent)),
    reason: `confirms the opt-out of inbound ${sms.messageSid}`,
  });
  const [confirmationQueued] = await Promise.all([
    queueOutbound(job, confirmation),
    // Seed 004: a STOP in answer to the double opt-in request is a rejection.
    contact?.doubleOptIn?.status === 'sent'
      ? deps.stores.contacts.setDoubleOptIn(agent.agentId, sms.from, 'rejected', at)
      : undefined,
  ]);
  return { kind: 'opted_out', optOutId, confirmationId: confirmation.messageId, confirmationQueued };
}

/** START/UNSTOP/YES: express written consent for this agent only; other agents keep needing their own. */
async function optIn(job: InboundJob): Promise<InboundSmsOutcome> {
  const { deps, agent, sms, receivedAt } = job;
  const at = deps.clock.now().toISOString();
  const draft = {
    agentId: agent.agentId,
    phone: sms.from,
    channel: 'sms' as const,
    type: 'express_written' as const,
    at: receivedAt,
    method: 'text_reply',
    evidence: sms.body,
    capturedBy: 'inbound_sms',
    source: 'keyword',
  };
  const earlier = job.recovering
    ? (await deps.stores.ledger.list(agent.agentId, sms.from)).find(
        (event) =>
          event.type === draft.type && event.at === draft.at && event.capturedBy === draft.capturedBy,
      )
    : undefined;
  const event = earlier ?? (await deps.stores.ledger.append(draft, at));

  if (agent.doubleOptIn) {
    const contact = await deps.stores.contacts.get(agent.agentId, sms.from);
    if (contact === undefined) await deps.stores.contacts.upsert(agent.agentId, sms.from, {}, at);
    await deps.stores.contacts.setDoubleOptIn(agent.agentId, sms.from, 'accepted', at);
  }

  const reply = outboundRecord(job, {
    messageId: `reply_${sms.messageSid}`,
    kind: 'keyword_reply',
    phone: sms.from,
    body: fillTemplate(messageTexts.optInConfirmation, senderFields(agent)),
    reason: `confirms the opt-in of inbound ${sms.messageSid}`,
  });
  await queueOutbound(job, reply);
  return { kind: 'opted_in', consentEventId: event.id, replyId: reply.messageId };
}

/** HELP/INFO: who is texting and how to stop; not consent. */
async function help(job: InboundJob): Promise<InboundSmsOutcome> {
  const { agent, sms } = job;
  const reply = outboundRecord(job, {
    messageId: `reply_${sms.messageSid}`,
    kind: 'keyword_reply',
    phone: sms.from,
    body: fillTemplate(messageTexts.helpReply, { ...senderFields(agent), contactPhone: agent.senderNumber }),
    reason: `answers the help request of inbound ${sms.messageSid}`,
  });
  await queueOutbound(job, reply);
  return { kind: 'help', replyId: reply.messageId };
}

/**
 * Anything else goes to the agent's own phone (seed 000 §7). The record's `phone` is the agent's
 * `forwardTo`, so the gate locates and counts the agent, and purpose `confirmation` because it
 * answers the contact's own text: it needs no consent from the agent's own phone.
 */
async function forward(job: InboundJob): Promise<InboundSmsOutcome> {
  const { deps, agent, sms } = job;
  const contact = await deps.stores.contacts.get(agent.agentId, sms.from);
  const record = outboundRecord(job, {
    messageId: `fwd_${sms.messageSid}`,
    kind: 'forward',
    phone: agent.forwardTo,
    body: fillTemplate(messageTexts.forwardedInbound, {
      from: sms.from,
      contactName: contact?.name ? ` (${contact.name})` : '',
      body: sms.body === '' ? '(no text)' : sms.body,
    }),
    reason: `forwards inbound ${sms.messageSid} from ${sms.from} to the agent`,
  });
  await queueOutbound(job, record);
  return { kind: 'forwarded', forwardId: record.messageId };
}

// ---------- consent reading ----------

/** What an opt-out decides on: every agent's ledger for the phone, its opt-outs, this agent's contact. */
type OptOutState = { ledger: LedgerRecord[]; optOuts: OptOutRecord[]; contact: Contact | undefined };

async function readOptOutState(deps: Deps, agent: Agent, sms: InboundSms): Promise<OptOutState> {
  const [ownLedger, phoneLedger, optOuts, contact] = await Promise.all([
    // Strongly consistent, unlike the byPhone index: this agent's START a moment ago counts.
    deps.stores.ledger.list(agent.agentId, sms.from),
    deps.stores.ledger.listByPhone(sms.from),
    deps.stores.optouts.list(sms.from),
    deps.stores.contacts.get(agent.agentId, sms.from),
  ]);
  return { ledger: uniqueById([...ownLedger, ...phoneLedger]), optOuts, contact };
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
  const events = [...ledger.map(ledgerConsentEvent), ...optOuts.map(optOutConsentEvent)];
  const agentIds = new Set([agentId, ...ledger.map((record) => record.agentId)]);
  return [...agentIds].every(
    (id) =>
      deriveConsent(events, { agentId: id, phone, channel: 'sms', at, purpose: 'manual' }).status ===
      'opted_out',
  );
}

const CONSENT_TYPES = new Set<string>(['express_written', 'ebr_transaction', 'ebr_inquiry']);

/**
 * The opt-out confirmation's id: one per phone and latest consent on record (any agent). Every
 * STOP before the next consent maps to the same id, so the conditional create lets one through.
 */
function confirmationId(phone: string, ledger: readonly LedgerRecord[]): string {
  const latest = ledger
    .filter((record) => CONSENT_TYPES.has(record.type) && record.channel === 'sms')
    .reduce<LedgerRecord | undefined>(
      (best, record) =>
        best === undefined || record.at > best.at || (record.at === best.at && record.id > best.id)
          ? record
          : best,
      undefined,
    );
  const digest = createHash('sha256')
    .update(`${phone}#${latest?.id ?? 'none'}`)
    .digest('hex');
  return `optout_${digest.slice(0, 32)}`;
}

function uniqueById(records: LedgerRecord[]): LedgerRecord[] {
  return [...new Map(records.map((record) => [record.id, record])).values()];
}

// ---------- message records ----------

function inboundRecord(agent: Agent, sms: InboundSms, at: string): MessageRecord {
  return {
    messageId: `inbound_${sms.messageSid}`,
    agentId: agent.agentId,
    phone: sms.from,
    agentPhone: `${agent.agentId}#${sms.from}`,
    kind: 'inbound',
    // Typed by a person; inbound texts are never sent, so no gate reads this.
    purpose: 'manual',
    body: sms.body,
    status: 'sending',
    history: [
      {
        status: 'sending',
        at,
        reasons: [`received from ${sms.from} on ${sms.to}`],
        twilioSid: sms.messageSid,
      },
    ],
    createdAt: at,
    updatedAt: at,
    expiresAt: expiresAt(at),
  };
}

type Outbound = {
  messageId: string;
  kind: Extract<MessageKind, 'keyword_reply' | 'forward'>;
  phone: string;
  body: string;
  reason: string;
};

/** A reply or forward, queued: purpose `confirmation` (RULES §2: exempt from windows and caps). */
function outboundRecord(job: InboundJob, outbound: Outbound): MessageRecord {
  const at = job.deps.clock.now().toISOString();
  return {
    messageId: outbound.messageId,
    agentId: job.agent.agentId,
    phone: outbound.phone,
    agentPhone: `${job.agent.agentId}#${outbound.phone}`,
    kind: outbound.kind,
    purpose: 'confirmation',
    body: outbound.body,
    status: 'queued',
    history: [{ status: 'queued', at, reasons: [outbound.reason] }],
    createdAt: at,
    updatedAt: at,
    expiresAt: expiresAt(at),
  };
}

/**
 * Creates the record and puts it on the send queue. When the id exists already nothing is
 * queued, except by a delivery taking over a failed one: it may have died between the create
 * and the enqueue, and the queue's deduplication and the worker's conditional claim make a
 * second enqueue harmless.
 */
async function queueOutbound(job: InboundJob, record: MessageRecord): Promise<boolean> {
  const { messages } = job.deps.stores;
  const created = await messages.create(record);
  if (!created) {
    if (!job.recovering) return false;
    const existing = await messages.get(record.messageId);
    if (existing?.status !== 'queued') return false;
  }
  await job.deps.queue.enqueue({ messageId: record.messageId, phone: record.phone });
  return true;
}

function expiresAt(createdAt: string): number {
  const date = new Date(createdAt);
  date.setUTCFullYear(date.getUTCFullYear() + RETENTION_YEARS);
  return Math.floor(date.getTime() / 1000);
}

/** How the revocation was heard, for the ledger: certainty, deciding rule, rules version, language. */
function recognitionOf(classification: InboundClassification): Partial<LedgerEventDraft> {
  const { certainty, rule, rulesVersion, language } = classification;
  return Object.fromEntries(
    Object.entries({ certainty, rule, rulesVersion, language }).filter(([, value]) => value !== undefined),
  );
}

function describeOutcome(classification: InboundClassification, outcome: InboundSmsOutcome): string {
  const matched = classification.matched === undefined ? '' : ` (${classification.matched})`;
  return `classified ${classification.kind}${matched}: ${outcome.kind.replaceAll('_', ' ')}`;
}
