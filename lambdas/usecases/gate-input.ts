import type { RecentSend } from '../compliance/caps';
import type { GateInput } from '../compliance/gate';
import type { ConsentEvent } from '../compliance/types';
import type {
  Agent,
  Contact,
  GateKey,
  GateKeyReads,
  MessageRecord,
  NumberFacts,
  RecentSendRecord,
  StoredBlackout,
} from '../ports';
import { blackoutRules } from '../rules/blackouts';
import { capRules } from '../rules/caps';
import { gateBlackouts } from './blackouts';
import { loadConsentRecords, type ConsentRecords } from './consent-events';
import type { Deps } from './deps';
import { twilioSenderOf } from './inbound/job';

const HOUR_MS = 3_600_000;

/** What the gate decides on for one message, with what the send path needs to act on it. */
export type LoadedGateInput = {
  input: GateInput;
  agent: Agent;
  contact?: Contact;
  /** Where the text goes: the contact's phone, or the agent's own phone for a `forward`. */
  to: string;
  /**
   * Version of the recipient's send list the decision saw; `claimSend` takes a slot only if it is
   * unchanged. Undefined when the purpose is exempt from caps and takes no slot.
   */
  countersVersion?: number;
  /** The recipient's sends stored at `countersVersion` (since `keepSince`), as the claim extends them. */
  countersSeen?: RecentSendRecord[];
  /** Oldest send a cap can still count at `input.at`; `claimSend` drops older ones. */
  keepSince: string;
  /** The phone's Lookup answers, read with the consent (absent for exempt texts). */
  numbers?: NumberFacts;
  /**
   * Where the agent's chain for the phone and the phone's opt-outs ended when the gate read them
   * (0: empty): the send claim holds only while both still end there. Absent for exempt texts.
   */
  consentSeen?: { ledgerSeq: number; optOutSeq: number; reassignedAt?: string; stateVersion: number };
  /**
   * The blackouts' version the decision saw; `claimSend` holds only while it is unchanged.
   * Undefined when no blackout can bind the text.
   */
  blackoutsVersion?: number;
  /** The reads the input was shaped from. */
  reads: GateReads;
};

/**
 * Reads, fresh and in parallel, everything `decide` needs for `message` at the clock's now:
 * the agent (suspension, name, double opt-in), the contact's location signals and double
 * opt-in status, the agent's ledger plus the phone's global opt-outs, the recipient's recent
 * sends across all agents and the agent's sends today, and, for an automated text, the
 * state-of-emergency blackouts that have not ended (a second round only while one may hold a
 * text). No cache: the gate must see an opt-out written a moment ago.
 *
 * Replies to the contact's own keyword and forwards (`confirmation`) skip what the gate ignores
 * for them (consent, caps). A `forward` always goes to the agent's own `forwardTo` phone, never
 * to the contact, whatever `message.phone` holds.
 *
 * `known.agent` reuses an agent the caller read in the same request (the API's auth step).
 *
 * @example
 * const { input, countersVersion } = await loadGateInput(deps, message);
 * const decision = decide(input);
 */
export async function loadGateInput(
  deps: Pick<Deps, 'clock' | 'stores'>,
  message: MessageRecord,
  known: { agent?: Agent } = {},
): Promise<LoadedGateInput> {
  const { reads, at } = await readForGate(deps, message, known);
  return gateInputOf(message, reads, at);
}

/**
 * The reads of {@link loadGateInput} at the clock's now, by what never changes about a message
 * (its {@link GateKey}): the worker takes them with its read of the message (`known.messageId`:
 * the message's head rides in the same batch, `reads.keyed.message`).
 */
export async function readForGate(
  deps: Pick<Deps, 'clock' | 'stores'>,
  key: GateKey,
  known: { agent?: Agent; messageId?: string } = {},
): Promise<{ reads: GateReads; at: Date }> {
  const { stores } = deps;
  const at = deps.clock.now();
  const keepSince = keepSinceAt(at);
  const purpose = key.purpose;
  const exempt = purpose === 'confirmation';
  const toAgent = key.kind === 'forward';

  const utcDate = at.toISOString().slice(0, 10);
  // One batch by key and the consent Query, in parallel. The phone's cached reassigned-number
  // answer matters to automated texts only and rides in the batch, as does the blackouts'
  // version; the phone's reassignments are read only when its derived state says it has one, the
  // blackouts only while one declared may still hold a text.
  const binds = bindsBlackouts(key);
  const [keyed, consent] = await Promise.all([
    stores.gateReads.loadForGate({
      agentId: key.agentId,
      ...(known.agent === undefined ? {} : { knownAgent: known.agent }),
      ...(toAgent ? {} : { contactPhone: key.phone }),
      ...(exempt ? {} : { caps: { phone: key.phone, since: keepSince, utcDate } }),
      // Every text to the contact, replies included: Twilio refuses them all while it blocks the number.
      ...(toAgent ? {} : { twilioBlock: { phone: key.phone, senderOf: twilioSenderOf } }),
      ...(purpose === 'automated' ? { reassignedCheck: { phone: key.phone } } : {}),
      ...(binds ? { blackouts: true as const } : {}),
      ...(known.messageId === undefined ? {} : { messageId: known.messageId }),
    }),
    exempt ? undefined : loadConsentRecords(stores, key.agentId, key.phone),
  ]);
  // A blackout declared after the batch is in this read, and the claim then fails on the version.
  const latestEnd = keyed.blackouts?.latestEnd;
  const blackouts =
    binds && latestEnd !== undefined && latestEnd > at.toISOString()
      ? await stores.blackouts.list(at.toISOString())
      : undefined;
  return { reads: { keyed, consent, blackouts }, at };
}

/** Everything {@link loadGateInput} read for one message, before it is shaped for the gate. */
export type GateReads = {
  keyed: GateKeyReads;
  consent?: ConsentRecords;
  blackouts?: StoredBlackout[];
};

/**
 * What the gate's reads for `message` become at the instant `at`: the gate's input and what the
 * send claim conditions on. Pure; the worker applies it to reads the API took as well.
 */
export function gateInputOf(message: MessageRecord, reads: GateReads, at: Date): LoadedGateInput {
  const { keyed, consent, blackouts } = reads;
  const purpose = message.purpose;
  const toAgent = message.kind === 'forward';
  const keepSince = keepSinceAt(at);
  const { agent, contact, agentSendsToday, twilioBlock } = keyed;
  const earliest = Date.parse(keepSince);
  const recent =
    keyed.recentSends === undefined
      ? undefined
      : {
          version: keyed.recentSends.version,
          sends: keyed.recentSends.sends.filter((send) => Date.parse(send.at) >= earliest),
        };
  if (agent === undefined)
    throw new Error(`message ${message.messageId}: agent ${message.agentId} does not exist`);

  const to = toAgent ? agent.forwardTo : message.phone;
  const consentEvents: ConsentEvent[] = consent?.events ?? [];
  const input: GateInput = {
    at,
    purpose,
    agent: {
      id: agent.agentId,
      name: agent.name,
      brokerage: agent.brokerage,
      suspended: agent.suspended,
      ...(agent.suspendedReason === undefined ? {} : { suspendedReason: agent.suspendedReason }),
    },
    recipient: toAgent
      ? { phone: to }
      : { phone: to, state: contact?.state, postalCode: contact?.postalCode, timeZone: contact?.timeZone },
    consentEvents,
    body: message.body,
    recentSends: recentSendsOf(recent?.sends ?? [], message.messageId),
    agentSendsToday,
    doubleOptIn:
      agent.doubleOptIn && !toAgent
        ? {
            status: contact?.doubleOptIn?.status ?? 'not_sent',
            // A consent request asks to opt in, like the double opt-in request.
            isOptInRequest: message.kind === 'opt_in_request' || message.kind === 'consent_request',
          }
        : undefined,
    ...(twilioBlock?.blocked
      ? { twilioBlock: { sender: twilioBlock.sender, since: twilioBlock.at, words: twilioBlock.words } }
      : {}),
    ...(blackouts === undefined || blackouts.length === 0 ? {} : { blackouts: gateBlackouts(blackouts) }),
  };
  return {
    input,
    agent,
    contact,
    to,
    countersVersion: recent?.version,
    ...(keyed.blackouts === undefined ? {} : { blackoutsVersion: keyed.blackouts.version }),
    ...(recent === undefined ? {} : { countersSeen: recent.sends }),
    keepSince,
    ...(consent === undefined
      ? {}
      : {
          numbers:
            keyed.reassignedCheck === undefined
              ? consent.numbers
              : { ...consent.numbers, reassignedCheck: keyed.reassignedCheck },
          consentSeen: {
            ledgerSeq: lastSeq(consent.ledger),
            optOutSeq: lastSeq(consent.optOuts),
            stateVersion: consent.state?.version ?? 0,
            ...(consent.state?.lastReassignedAt === undefined
              ? {}
              : { reassignedAt: consent.state.lastReassignedAt }),
          },
        }),
    reads,
  };
}

const keepSinceAt = (at: Date): string =>
  new Date(at.getTime() - capRules.windowHours * HOUR_MS).toISOString();

const lastSeq = (records: readonly { seq: number }[]): number =>
  records.reduce((last, record) => Math.max(last, record.seq), 0);

/** Whether a state-of-emergency blackout can hold `message` (RULES §3: automated texts to a contact). */
export function bindsBlackouts(message: Pick<MessageRecord, 'kind' | 'purpose'>): boolean {
  return message.kind !== 'forward' && blackoutRules.appliesTo.includes(message.purpose);
}

/**
 * Recent sends as the caps count them. A slot this same message claimed on an earlier attempt
 * (Twilio answered 5xx, or a racing worker) is left out: it stands for this text, not another.
 */
function recentSendsOf(sends: readonly RecentSendRecord[], messageId: string): RecentSend[] {
  return sends
    .filter((send) => send.messageId !== messageId)
    .map((send) => ({ at: new Date(send.at), purpose: send.purpose }));
}
