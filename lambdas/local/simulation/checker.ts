import { capBreaches, type CountedSend } from './checks/caps';
import { confirmationMismatches } from './checks/confirmations';
import { extraKeywordReplies, lostInbound } from './checks/inbound';
import { leftovers } from './checks/leftovers';
import { sendsToReassignedNumbers } from './checks/reassigned';
import { heldPastRelease } from './checks/releases';
import { isOptInKeyword, ReplyMatcher } from './checks/replies';
import { derivedStateDrift } from './checks/derived-state';
import { zeroCounts, type Violation, type ViolationCounts } from './checks/violation';
import type { AgentFact, ContactFact, LoggedMessage, OutboxSend, RunSnapshot } from './snapshot-types';
import { readConsent, type LedgerFact, type OptOutFact } from './spec/consent';
import { candidatesFor } from './spec/location';
import { timingBreach } from './spec/window-check';

export {
  VIOLATION_KINDS,
  type Violation,
  type ViolationCounts,
  type ViolationKind,
} from './checks/violation';

/** The checker's verdict on a run. */
export type CheckReport = {
  counts: ViolationCounts;
  /** Every breach found (a clean run has none). */
  violations: Violation[];
  /** Texts Twilio accepted, and how many of them were keyword replies or forwards (RULES §2). */
  sends: number;
  exemptSends: number;
};

// A keyword reply answers within minutes; a second one inside this window answers the same keyword.
const SECOND_REPLY_WINDOW_MS = 5 * 60_000;
const DUPLICATE_WINDOW_MS = 24 * 3_600_000;

/**
 * The independent checker: reads what phones received and what the pipeline recorded, and counts
 * breaches of RULES.md — written from the spec, sharing no code with the gate (`decide`,
 * `evaluateWindow`, `deriveConsent`, the rules loaders). Keyword replies and forwards that answer
 * an inbound text are exempt from consent, windows and caps; every other text must have had
 * consent on record when Twilio took it, a double opt-in where the agent requires one, an open
 * window in every candidate zone under every candidate state's row, no holiday, and room under
 * the caps. It also counts what the phones received against what they sent: at most one reply
 * per START/YES/HELP/INFO (Twilio's own included), no inbound text or revocation lost, no held
 * text left past its release + 10 minutes, and no text to a number after it changed hands.
 *
 * @example
 * const report = checkRun(await readRunSnapshot(runtime));
 * report.counts.sendsOutsideWindow; // 0
 */
export function checkRun(snapshot: RunSnapshot): CheckReport {
  const index = indexSnapshot(snapshot);
  const replies = new ReplyMatcher(snapshot.messages);
  const violations: Violation[] = [];
  const countedByPhone = new Map<string, CountedSend[]>();
  const lastBodySent = new Map<string, number>();
  let exemptSends = 0;

  // Twilio answers STOP/START/HELP itself on long codes (RULES §2); ConsentLine must not answer too.
  const twilioAnsweredAt = new Map<string, number>();
  const sends = [...snapshot.outbox].sort((a, b) => a.at.localeCompare(b.at));
  for (const send of sends) {
    if (send.origin === 'keyword') {
      twilioAnsweredAt.set(`${send.from}|${send.to}`, Date.parse(send.at));
      exemptSends++;
      continue;
    }
    // A send whose answer never came back (a timeout) is in the log without its SID: Twilio may
    // have taken it, and the log says so (`errorCode: timeout`, left for review, never resent).
    const message =
      index.messageBySid.get(send.sid) ?? index.takeTimedOut(index.agentByNumber.get(send.from), send);
    const agent = index.agentByNumber.get(send.from) ?? (message && index.agentById.get(message.agentId));
    const found = (kind: Violation['kind'], detail: string) =>
      violations.push({
        kind,
        phone: send.to,
        at: send.at,
        detail,
        sid: send.sid,
        ...(message === undefined ? {} : { messageId: message.messageId }),
        ...(agent === undefined ? {} : { agentId: agent.agentId }),
      });
    if (message === undefined)
      found('unloggedSends', `Twilio took a text from ${send.from} the message log does not know`);

    const twilioAnswered = twilioAnsweredAt.get(`${send.from}|${send.to}`);
    if (
      message?.kind === 'keyword_reply' &&
      twilioAnswered !== undefined &&
      Date.parse(send.at) - twilioAnswered < SECOND_REPLY_WINDOW_MS
    ) {
      found('duplicateDeliveries', 'a keyword reply of our own after Twilio had answered the same keyword');
    }
    if (agent !== undefined && (message?.kind === 'keyword_reply' || message?.kind === 'forward')) {
      const reply = replies.match(send, message.kind, agent);
      if (reply.verdict === 'duplicate') found('duplicateDeliveries', reply.detail);
      if (reply.verdict !== 'unanswered') {
        exemptSends++;
        continue;
      }
    }

    const purpose =
      message === undefined || (message.kind !== 'drip' && message.kind !== 'opt_in_request')
        ? 'manual'
        : 'automated';
    const atMs = Date.parse(send.at);
    const agentId = agent?.agentId ?? message?.agentId ?? '';
    const consent = readConsent(index.ledgerOf(agentId, send.to), index.optOutsOf(send.to), atMs, purpose);
    if (!consent.permitted) {
      found(
        consent.reason === 'blocked' ? 'sendsAfterOptOut' : 'sendsWithoutConsent',
        `${purpose} text: ${consent.detail}`,
      );
    }
    if (
      agent?.doubleOptIn &&
      message?.kind !== 'opt_in_request' &&
      !index.acceptedDoubleOptIn(agent, send.to, atMs)
    ) {
      found(
        'sendsBeforeDoubleOptIn',
        `${purpose} text before the contact answered the double opt-in request`,
      );
    }
    const contact = index.contactOf(agentId, send.to);
    const breach = timingBreach(candidatesFor({ ...contact, phone: send.to }), atMs, purpose);
    if (breach !== undefined) {
      found(
        breach.rule === 'holiday' ? 'holidaySends' : 'sendsOutsideWindow',
        `${purpose} text at ${breach.localTime} ${breach.zone}: ${breach.detail}`,
      );
    }

    const bodyKey = `${send.from}|${send.to}|${send.body}`;
    const sentBefore = lastBodySent.get(bodyKey);
    if (sentBefore !== undefined && atMs - sentBefore < DUPLICATE_WINDOW_MS) {
      found('duplicateDeliveries', `the same text to the same phone again after ${atMs - sentBefore} ms`);
    }
    lastBodySent.set(bodyKey, atMs);
    const counted = countedByPhone.get(send.to) ?? [];
    counted.push({
      atMs,
      automated: purpose === 'automated',
      sid: send.sid,
      ...(message === undefined ? {} : { messageId: message.messageId }),
      ...(agent === undefined ? {} : { agentId: agent.agentId }),
    });
    countedByPhone.set(send.to, counted);
  }

  for (const [phone, counted] of countedByPhone) {
    violations.push(...capBreaches(phone, index.statesOf(phone), counted));
  }
  violations.push(...confirmationMismatches(snapshot.optOuts, sends));
  violations.push(...leftovers(snapshot.messages, snapshot.endedAt));
  violations.push(...heldPastRelease(snapshot.messages, snapshot.endedAt));
  const phoneTexts = snapshot.phoneTexts ?? [];
  violations.push(...extraKeywordReplies(phoneTexts, sends, snapshot.messages));
  violations.push(...lostInbound(phoneTexts, snapshot.messages, snapshot.optOuts, snapshot.ledger));
  violations.push(
    ...sendsToReassignedNumbers(
      snapshot.reassignments ?? [],
      snapshot.reassignmentsFound ?? [],
      sends,
      snapshot.messages,
    ),
  );
  violations.push(...derivedStateDrift(snapshot.derivedStateDrift ?? [], snapshot.endedAt));

  const counts = zeroCounts();
  for (const violation of violations) counts[violation.kind]++;
  return { counts, violations, sends: sends.length, exemptSends };
}

/** Lookups over the snapshot, built once. */
function indexSnapshot(snapshot: RunSnapshot) {
  const group = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const list = map.get(key(item)) ?? [];
      list.push(item);
      map.set(key(item), list);
    }
    return map;
  };
  const messageBySid = new Map<string, LoggedMessage>();
  for (const message of snapshot.messages)
    if (message.twilioSid) messageBySid.set(message.twilioSid, message);
  const agentByNumber = new Map<string, AgentFact>(
    snapshot.agents.map((agent) => [agent.senderNumber, agent]),
  );
  const agentById = new Map<string, AgentFact>(snapshot.agents.map((agent) => [agent.agentId, agent]));
  const contactByKey = new Map<string, ContactFact>(
    snapshot.contacts.map((contact) => [`${contact.agentId}#${contact.phone}`, contact]),
  );
  const contactsByPhone = group(snapshot.contacts, (contact) => contact.phone);
  const ledgerByKey = group<LedgerFact>(snapshot.ledger, (event) => `${event.agentId}#${event.phone}`);
  const optOutsByPhone = group<OptOutFact>(snapshot.optOuts, (record) => record.phone);
  const inboundByKey = group(
    snapshot.messages.filter((message) => message.kind === 'inbound'),
    (message) => `${message.agentId}#${message.phone}`,
  );
  const requestsByKey = group(
    snapshot.messages.filter((message) => message.kind === 'opt_in_request'),
    (message) => `${message.agentId}#${message.phone}`,
  );

  const timedOut = group(
    snapshot.messages.filter((message) => message.errorCode === 'timeout' && !message.twilioSid),
    (message) => `${message.agentId}#${message.phone}`,
  );

  return {
    messageBySid,
    /** The oldest timed-out text of the agent to the phone created by the send, each taken once. */
    takeTimedOut: (agent: AgentFact | undefined, send: OutboxSend): LoggedMessage | undefined => {
      const list = agent === undefined ? undefined : timedOut.get(`${agent.agentId}#${send.to}`);
      const found = list?.findIndex((message) => message.createdAt <= send.at) ?? -1;
      return found < 0 ? undefined : list!.splice(found, 1)[0];
    },
    agentByNumber,
    agentById,
    ledgerOf: (agentId: string, phone: string) => ledgerByKey.get(`${agentId}#${phone}`) ?? [],
    optOutsOf: (phone: string) => optOutsByPhone.get(phone) ?? [],
    contactOf: (agentId: string, phone: string): Omit<ContactFact, 'agentId' | 'phone'> => {
      const {
        agentId: _agent,
        phone: _phone,
        ...signals
      } = contactByKey.get(`${agentId}#${phone}`) ?? {
        agentId,
        phone,
      };
      return signals;
    },
    /** Every state any agent's record of the phone, or its area code, places it in. */
    statesOf: (phone: string): string[] => {
      const contacts = contactsByPhone.get(phone) ?? [{ agentId: '', phone }];
      return [...new Set(contacts.flatMap((contact) => candidatesFor({ ...contact, phone }).states))];
    },
    /**
     * RULES §4 double opt-in: the contact replied START/YES after the agent last asked it to
     * (the latest request logged before `atMs`), or at all when it was never asked.
     */
    acceptedDoubleOptIn: (agent: AgentFact, phone: string, atMs: number): boolean => {
      const key = `${agent.agentId}#${phone}`;
      const askedAt = (requestsByKey.get(key) ?? [])
        .map((request) => Date.parse(request.createdAt))
        .filter((createdMs) => createdMs <= atMs)
        .reduce((latest, createdMs) => Math.max(latest, createdMs), Number.NEGATIVE_INFINITY);
      return (inboundByKey.get(key) ?? []).some((inbound) => {
        const receivedMs = Date.parse(inbound.createdAt);
        return receivedMs >= askedAt && receivedMs <= atMs && isOptInKeyword(inbound.body ?? '');
      });
    },
  };
}
