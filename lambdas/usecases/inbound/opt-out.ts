import { createHash } from 'node:crypto';
import { deriveConsent } from '../../compliance/consent';
import type { Contact, LedgerRecord, OptOutRecord, OptOutSource } from '../../ports';
import { fillTemplate, messageTexts, senderFields } from '../../rules/messages';
import { consentEventsOf } from '../consent-events';
import type { Deps } from '../deps';
import type { InboundJob, InboundSms, Reply } from './job';
import { outboundRecord, queueOutbound } from './records';

/** What an opt-out decides on: every agent's ledger for the phone, its opt-outs, this agent's contact. */
export type OptOutState = { ledger: LedgerRecord[]; optOuts: OptOutRecord[]; contact: Contact | undefined };

export type OptOutOutcome =
  { kind: 'opted_out'; optOutId: string; reply: Reply } | { kind: 'already_opted_out'; reply?: Reply };

/**
 * RULES §2 opt-out: unless the phone is opted out for every agent already, the revocation and the
 * global opt-out are written in one transaction (durable before the webhook answers). Then one
 * confirmation reaches the phone: Twilio's own when Twilio handled the keyword, else ConsentLine's,
 * queued under an id derived from the phone and the latest consent on record, so concurrent STOPs
 * — whatever their SIDs or the agent texted — create it once.
 */
export async function optOut(
  job: InboundJob,
  source: OptOutSource,
  { ledger, optOuts, contact }: OptOutState,
): Promise<OptOutOutcome> {
  const { deps, agent, sms, receivedAt, reading } = job;
  const now = deps.clock.now();
  const twilioConfirmed = reading.replyBy === 'twilio';
  // A delivery that failed after writing the opt-out finds its own record: only the confirmation is left.
  const written = optOuts.find((record) => record.messageSid === sms.messageSid);
  if (written === undefined && isOptedOutEverywhere(ledger, optOuts, agent.agentId, sms.from, now)) {
    return twilioConfirmed
      ? { kind: 'already_opted_out', reply: { by: 'twilio' } }
      : { kind: 'already_opted_out' };
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

  const [reply] = await Promise.all([
    twilioConfirmed ? ({ by: 'twilio' } as const) : queueConfirmation(job, ledger),
    // Seed 004: a STOP in answer to the double opt-in request is a rejection.
    contact?.doubleOptIn?.status === 'sent'
      ? deps.stores.contacts.setDoubleOptIn(agent.agentId, sms.from, 'rejected', at)
      : undefined,
  ]);
  return { kind: 'opted_out', optOutId, reply };
}

async function queueConfirmation(job: InboundJob, ledger: readonly LedgerRecord[]): Promise<Reply> {
  const { agent, sms } = job;
  const confirmation = outboundRecord(job, {
    messageId: confirmationId(sms.from, ledger),
    kind: 'keyword_reply',
    phone: sms.from,
    body: fillTemplate(messageTexts.optOutConfirmation, senderFields(agent)),
    reason: `confirms the opt-out of inbound ${sms.messageSid}`,
  });
  const queued = await queueOutbound(job, confirmation);
  return { by: 'consentline', messageId: confirmation.messageId, queued };
}

/** Every read an opt-out decides on, in parallel: they are on the path to the opt-out being durable. */
export async function readOptOutState(
  deps: Deps,
  agent: { agentId: string },
  sms: InboundSms,
): Promise<OptOutState> {
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
  const events = consentEventsOf(ledger, optOuts);
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
