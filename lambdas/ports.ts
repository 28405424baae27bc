/**
 * The ports between use cases and the outside world. Use cases receive these; adapters in
 * `lambdas/adapters/` implement them for AWS (and the same adapters run against the local
 * engines). Records are plain JSON: instants are ISO-8601 strings, phones E.164.
 */
import type { ClosingAnchor, SkippedStep } from './compliance/cadence';
import type { InboundStatus, MessageStatus } from './compliance/message-lifecycle';
import type { ComplianceReceipt } from './compliance/receipt';
import { Conflict } from './domain-errors';
import type { Channel, ConsentEventType, Purpose, ReceivedVia } from './compliance/types';
import type { Cadence, CadenceAnchor } from './rules/cadence';

/** Time comes from here, never from `Date.now()` in a use case, so a test clock can drive it. */
export interface Clock {
  now(): Date;
}

export type Agent = {
  agentId: string;
  name: string;
  brokerage: string;
  /** E.164 Twilio number the agent texts from; one agent per number. */
  senderNumber: string;
  /** E.164 personal phone that inbound texts and calls are forwarded to. */
  forwardTo: string;
  /**
   * Twilio Messaging Service (`MG…`) the agent sends through, where Advanced Opt-Out is
   * configured; sends use `From` when absent.
   */
  messagingServiceSid?: string;
  doubleOptIn: boolean;
  suspended: boolean;
  /** Why the agent is suspended, as the admin gave it; present while suspended. */
  suspendedReason?: string;
  /** When the suspension started; present while suspended. */
  suspendedAt?: string;
  createdAt: string;
};

/** A rotation or revocation of an agent's API keys: who did it, when and why (put-only). */
export type KeyEvent = {
  agentId: string;
  /** 1, 2, 3… per agent. */
  seq: number;
  action: 'rotated' | 'revoked';
  at: string;
  /** The operator who asked for it, as they named themselves to the admin API. */
  by: string;
  reason: string;
  /** `rotated`: until when the replaced key still works (equal to `at` when it stopped at once). */
  previousKeyValidUntil?: string;
};

export type KeyChange = Pick<KeyEvent, 'at' | 'by' | 'reason'>;

export interface AgentStore {
  /** Fails with `ConflictError` when the sender number already belongs to an agent. */
  create(agent: Agent, apiKeyHash: string): Promise<void>;
  get(agentId: string): Promise<Agent | undefined>;
  findByApiKeyHash(apiKeyHash: string): Promise<Agent | undefined>;
  /**
   * The agent an API key authenticates at `at`: its current key, or a replaced one still inside
   * its overlap and not revoked since. Read consistently, so a revocation holds at once.
   */
  resolveApiKey(apiKeyHash: string, at: string): Promise<Agent | undefined>;
  /**
   * Makes `newApiKeyHash` the agent's key; the replaced one keeps working until
   * `previousKeyValidUntil` (at most `change.at` + 24 h, checked by the use case). Undefined
   * when there is no such agent.
   */
  rotateKey(
    agentId: string,
    newApiKeyHash: string,
    previousKeyValidUntil: string,
    change: KeyChange,
  ): Promise<KeyEvent | undefined>;
  /** Every key of the agent stops working at once, overlaps included; the agent then has none. */
  revokeKeys(agentId: string, change: KeyChange): Promise<KeyEvent | undefined>;
  /** The agent's rotations and revocations, oldest first. */
  keyEvents(agentId: string): Promise<KeyEvent[]>;
  findBySenderNumber(senderNumber: string): Promise<Agent | undefined>;
  /**
   * The agent a sender number belongs to, for the inbound webhooks: remembered by the store for
   * the life of the process once found (a sender number never moves to another agent, and none
   * of these fields ever changes). Without the suspension: read {@link get} where it matters.
   */
  senderAgent(senderNumber: string): Promise<SenderAgent | undefined>;
  /** Every agent of the brokerage, by id (the admin's brokerage-wide audit export). */
  listAll(): Promise<Agent[]>;
  /** Returns the updated agent, or undefined when there is no such agent; `reason` is kept while suspended. */
  setSuspended(agentId: string, suspended: boolean, at: string, reason?: string): Promise<Agent | undefined>;
}

/** What never changes about an agent: everything but its suspension. */
export type SenderAgent = Omit<Agent, 'suspended' | 'suspendedReason' | 'suspendedAt'>;

export type DoubleOptInStatus = 'not_sent' | 'sent' | 'accepted' | 'rejected';

export type Enrollment = {
  cadenceVersion: string;
  enrolledAt: string;
  status: 'active' | 'stopped';
  stoppedAt?: string;
  stoppedReason?: string;
  /** The revocation or opt-out that stopped it, when one did. */
  stoppedByEvent?: string;
  /** The closing date its `closing` steps count from; absent: every step counts from `enrolledAt`. */
  closing?: ClosingAnchor;
  /** Steps left out because their moment had passed at enrollment, each with why. */
  skipped?: SkippedStep[];
};

export type Contact = {
  agentId: string;
  phone: string;
  name?: string;
  state?: string;
  postalCode?: string;
  timeZone?: string;
  closingDate?: string;
  address?: string;
  notes?: string;
  createdAt: string;
  updatedAt: string;
  enrollment?: Enrollment;
  doubleOptIn?: { status: DoubleOptInStatus; updatedAt: string };
  /** From Lookup `line_type_intelligence`, once per phone: whether texts can reach it at all. */
  lineType?: { type: string; sms: boolean; reason?: string; checkedAt: string };
  /** The last consent request sent to the contact (RULES §1): one per 30 days. */
  consentRequest?: ConsentRequestState;
  /** When the contact's personal details were erased at their request (the record is in `erasures`). */
  erasedAt?: string;
};

/** The personal free text an erasure removes; the ledger, opt-outs and message log stay. */
export const ERASED_FIELDS = ['name', 'address', 'notes'] as const;

/** An erasure of a contact's personal details at the contact's request (put-only). */
export type ContactErasure = {
  agentId: string;
  phone: string;
  at: string;
  /** Who carried it out, as they named themselves (the agent's name by default). */
  by: string;
  /** Why: the contact's request as the agent received it. */
  reason: string;
  /** The fields that held a value and were removed. */
  erased: string[];
};

export type ConsentRequestState = {
  messageId: string;
  sentAt: string;
  /** When the contact's YES/START answered it. */
  answeredAt?: string;
  /** The gate blocked it: it never reached the phone and does not count against the period. */
  blocked?: boolean;
};

export type ContactFields = Omit<
  Contact,
  | 'agentId'
  | 'phone'
  | 'createdAt'
  | 'updatedAt'
  | 'enrollment'
  | 'doubleOptIn'
  | 'consentRequest'
  | 'erasedAt'
>;

export interface ContactStore {
  /**
   * Creates or updates the descriptive fields, removing those named in `clear`; returns the
   * stored contact and whether it was new.
   */
  upsert(
    agentId: string,
    phone: string,
    fields: ContactFields,
    at: string,
    clear?: readonly (keyof ContactFields)[],
  ): Promise<{ contact: Contact; created: boolean }>;
  get(agentId: string, phone: string): Promise<Contact | undefined>;
  setEnrollment(agentId: string, phone: string, enrollment: Enrollment): Promise<void>;
  /** Sets an active enrollment only if the contact exists and has none active; false otherwise (no race). */
  claimEnrollment(agentId: string, phone: string, enrollment: Enrollment): Promise<boolean>;
  setDoubleOptIn(agentId: string, phone: string, status: DoubleOptInStatus, at: string): Promise<void>;
  /** Records a consent request only if the contact's last one was sent before `sentBefore`; false otherwise (no race). */
  claimConsentRequest(
    agentId: string,
    phone: string,
    request: ConsentRequestState,
    sentBefore: string,
  ): Promise<boolean>;
  setConsentRequest(agentId: string, phone: string, request: ConsentRequestState): Promise<void>;
  /**
   * One page of the agent's contacts in phone order, from after `after`: a Query on the agent's
   * own partition. `last` is the phone to continue after, absent when nothing is left.
   */
  listPage(
    agentId: string,
    page: { after?: string; limit: number },
  ): Promise<{ items: Contact[]; last?: string }>;
  /**
   * Removes the contact's personal fields, marks it erased and stores `erasure`, all or nothing.
   * `'missing'` when there is no such contact, `'erased'` when it was erased already (nothing
   * written in either case).
   */
  erase(erasure: ContactErasure): Promise<'done' | 'missing' | 'erased'>;
  /** The contact's erasure records, oldest first. */
  erasures(agentId: string, phone: string): Promise<ContactErasure[]>;
}

/** What a caller hands the ledger; id, sequence, hashes and recordedAt are added on append. */
export type LedgerEventDraft = {
  agentId: string;
  phone: string;
  channel: Channel;
  type: Exclude<ConsentEventType, 'global_opt_out' | 'number_reassigned'>;
  at: string;
  method?: string;
  evidence?: string;
  capturedBy?: string;
  consentTextVersion?: string;
  /** Revocations: how it arrived (`channel` is what it covers). */
  receivedVia?: ReceivedVia;
  /** A correction names the event it corrects; the old one stays. */
  correctsId?: string;
  source?: string;
  /** How a texted revocation was heard (the exact words are `evidence`): `likely` honours a possible one. */
  certainty?: 'clear' | 'likely';
  /** The keyword or lexicon rule that decided, e.g. `es.no-me-envie`. */
  rule?: string;
  /** The version of the keyword or revocation rules that decided. */
  rulesVersion?: string;
  /** The language the text was read in (`und` when nothing said). */
  language?: string;
};

export type LedgerRecord = LedgerEventDraft & {
  chainId: string;
  seq: number;
  id: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
};

export type OptOutSource = 'keyword' | 'revocation_phrase' | 'carrier_21610' | 'admin_import';

export type OptOutDraft = {
  phone: string;
  at: string;
  source: OptOutSource;
  /** The exact words, error code or import reference. */
  words?: string;
  /** The agent whose number received it, when there was one. */
  agentId?: string;
  messageSid?: string;
  /** The agent's revocation written in the same transaction, when there is one. */
  revocationId?: string;
};

/**
 * A stored opt-out, hash-chained per phone like the ledger: `seq` 1, 2, 3… in the order they were
 * recorded, `prevHash` the hash of the one before (genesis: 64 zeros), `hash` over all the rest.
 */
export type OptOutRecord = OptOutDraft & {
  id: string;
  sk: string;
  recordedAt: string;
  seq: number;
  prevHash: string;
  hash: string;
};

/** The result of a chain check: the first link that does not hash as stored, if any. */
export type ChainVerification = {
  chainId: string;
  events: number;
  ok: boolean;
  firstBroken?: { seq: number; id: string; problem: string };
};

export interface LedgerStore {
  /** Appends to the (agent, phone) chain; concurrent appends are serialised by a conditional head move. */
  append(draft: LedgerEventDraft, recordedAt: string): Promise<LedgerRecord>;
  /** Appends unless the agent's chain already holds a record `same` accepts; undefined then, nothing written. */
  appendUnlessRecorded(
    draft: LedgerEventDraft,
    recordedAt: string,
    same: (record: LedgerRecord) => boolean,
  ): Promise<LedgerRecord | undefined>;
  /**
   * A text-reply opt-out: the agent's `revocation` and the phone's global opt-out in one
   * transaction, so both are durable or neither is.
   */
  appendOptOut(
    revocation: LedgerEventDraft,
    optOut: OptOutDraft,
    recordedAt: string,
  ): Promise<{ revocation: LedgerRecord; optOut: OptOutRecord }>;
  list(agentId: string, phone: string): Promise<LedgerRecord[]>;
  /** Every chain holding this phone (admin export and verification). */
  listByPhone(phone: string): Promise<LedgerRecord[]>;
  verify(agentId: string, phone: string): Promise<ChainVerification>;
  /**
   * Every chain holding the phone, each agent's in agent order and the opt-outs' last, verified
   * against the records returned with them: one read, so both are the same snapshot.
   */
  verifyPhone(phone: string): Promise<{ records: PhoneRecords; chains: ChainVerification[] }>;
  /**
   * Everything recorded about the phone's consent — every agent's chain, the global opt-outs and
   * the derived state they add up to — in one strongly consistent read.
   */
  readPhone(phone: string): Promise<PhoneRecords>;
}

/**
 * What a phone's consent records add up to, stored next to them and moved in the same
 * transaction as every record of the phone (ledger event, opt-out, reassignment), so it can be
 * recomputed from them and checked (`verifyLedger`).
 */
export type PhoneState = {
  phone: string;
  /** How many records the phone has: 1, 2, 3… Every write moves it by its records, conditioned on the one read. */
  version: number;
  /** Each agent's chain head: its last sequence number and hash. */
  chains: Record<string, { seq: number; hash: string }>;
  /** The head of the phone's opt-out chain. */
  optOuts?: { seq: number; hash: string };
  /** The instant of the latest global opt-out. */
  lastOptOutAt?: string;
  /** The instant of the latest `number_reassigned`. */
  lastReassignedAt?: string;
};

/** One read of a phone's consent records (see {@link LedgerStore.readPhone}). */
export type PhoneRecords = {
  phone: string;
  /** Every agent's events, each chain in order. */
  ledger: LedgerRecord[];
  /** The global opt-outs, in the order they were recorded. */
  optOuts: OptOutRecord[];
  /** Undefined before the phone's first record. */
  state?: PhoneState;
};

/**
 * A text-reply opt-out, all or nothing in one transaction (RULES §2): the inbound text's log
 * entry (its MessageSid taken once), and — unless the phone is opted out everywhere already —
 * the agent's revocation and the global opt-out, the phone's derived state, the one confirmation
 * (its id derived, created once), the Twilio block and the contact's double opt-in rejection.
 */
export type StopWrite = {
  /** The received text, as logged once handled. */
  inbound: InboundRecord;
  /** The records read, which the write is conditioned on (the derived state's version). */
  seen: PhoneRecords;
  optOut?: { revocation: LedgerEventDraft; optOut: OptOutDraft };
  confirmation?: MessageRecord;
  twilioBlock?: TwilioBlock;
  /** Seed 004: the contact had been asked to opt in (`sent`); the STOP rejects it. */
  rejectDoubleOptIn?: { agentId: string; phone: string };
  recordedAt: string;
  /** Taking over an earlier delivery that was interrupted: the log entry as it was read. */
  replaces?: InboundRecord;
};

/** What the STOP transaction did; nothing at all was written unless `written`. */
export type StopWriteResult =
  | { kind: 'written'; revocation?: LedgerRecord; optOut?: OptOutRecord }
  /** The MessageSid is logged already (a redelivery): the entry as stored. */
  | { kind: 'logged'; inbound: InboundRecord }
  /** The confirmation exists already (another STOP's): write again without it. */
  | { kind: 'confirmation_exists' }
  /** Twilio's block list has a later change stored: write again without it. */
  | { kind: 'twilio_block_later' }
  /** The phone's records or the contact moved since they were read: read again. */
  | { kind: 'moved' };

/** What a STOP reads before deciding: the phone's derived state and the texted agent's contact. */
export type StopRead = { state?: PhoneState; contact?: Contact };

export interface StopStore {
  /** The phone's derived state and the agent's contact, strongly consistent, in one read. */
  read(phone: string, agentId: string): Promise<StopRead>;
  record(write: StopWrite): Promise<StopWriteResult>;
}

export interface OptOutStore {
  /** Appends to the phone's chain; concurrent records are serialised by a conditional head move. */
  record(draft: OptOutDraft, recordedAt: string): Promise<OptOutRecord>;
  list(phone: string): Promise<OptOutRecord[]>;
  /** Re-hashes the phone's opt-out chain and reports its first broken link, if any. */
  verify(phone: string): Promise<ChainVerification>;
}

export type { InboundStatus, MessageStatus } from './compliance/message-lifecycle';

/** What ConsentLine sends: an agent's text, a drip step, a request, a keyword reply or a forward. */
export type MessageKind =
  'manual' | 'drip' | 'opt_in_request' | 'consent_request' | 'keyword_reply' | 'forward';

export type StatusChange = {
  status: MessageStatus;
  at: string;
  reasons?: string[];
  receipt?: ComplianceReceipt;
  twilioSid?: string;
  errorCode?: string;
};

/** A text ConsentLine sends; its status follows `compliance/message-lifecycle`. */
export type MessageRecord = {
  messageId: string;
  agentId: string;
  phone: string;
  kind: MessageKind;
  purpose: Purpose;
  body: string;
  /** The body as sent, after the gate composed it. */
  sentBody?: string;
  status: MessageStatus;
  history: StatusChange[];
  createdAt: string;
  updatedAt: string;
  receipt?: ComplianceReceipt;
  releaseAt?: string;
  twilioSid?: string;
  errorCode?: string;
  /** Drip step metadata. */
  step?: number;
  dueAt?: string;
  /** What a drip step's due time counts from: the contact's closing or its enrollment. */
  anchor?: CadenceAnchor;
};

/**
 * What a status move may change besides the status and its history: nothing else of a message
 * can be written once it is logged. Index keys and retention follow from the record (adapters).
 */
export type MessageChanges = {
  /** The gate's latest receipt. */
  receipt?: ComplianceReceipt;
  /** A hold's release instant; `null` removes it (the text is no longer held). */
  releaseAt?: string | null;
  twilioSid?: string;
  errorCode?: string;
  /** The body as Twilio got it. */
  sentBody?: string;
  /** A scheduled step's new text, as the agent edited it. */
  body?: string;
};

export type InboundChange = { status: InboundStatus; at: string; reasons?: string[] } & Absent<
  Omit<StatusChange, 'status' | 'at' | 'reasons'>
>;

/**
 * `T`'s fields, each declared absent: a conversation mixes sent and received texts, and its
 * readers test a field (`message.step`, `change.receipt`) without narrowing first.
 */
type Absent<T> = { [K in keyof T]?: never };

/**
 * A text a contact sent to an agent's number, logged by the SMS webhook under
 * `inbound_<MessageSid>`. It is never sent: its status tracks the webhook's work on it.
 */
export type InboundRecord = InboundFields & Absent<Omit<MessageRecord, keyof InboundFields>>;

type InboundFields = {
  messageId: string;
  agentId: string;
  phone: string;
  kind: 'inbound';
  body: string;
  /** Twilio's SID of the received text (not in the byTwilioSid index: status callbacks never name it). */
  messageSid: string;
  status: InboundStatus;
  history: InboundChange[];
  createdAt: string;
  updatedAt: string;
  /** While `processing`: when the delivery holding it loses it to a retry. */
  leaseUntil?: string;
  /** Who answered the contact — `twilio` (its own keyword reply) or our reply's message id. */
  repliedBy?: string;
};

/** Anything in a contact's conversation: the texts sent and the texts received. */
export type LoggedText = MessageRecord | InboundRecord;

/** A delivery's hold on an inbound text, from {@link MessageStore.claimInbound}. */
export type InboundClaim = {
  messageId: string;
  createdAt: string;
  /** True when an earlier delivery of the same text had it first (and failed or timed out). */
  recovering: boolean;
  /**
   * A takeover's replaced record: its first receipt, and its history followed by this delivery's,
   * written back when the claim closes.
   */
  earlier?: { createdAt: string; history: InboundChange[] };
};

/**
 * The message log. Every text is kept at least 5 years (RULES §6) — a drip step from the day it
 * is due — and found by id, Twilio SID, contact, agent, due day or release time; how it is
 * indexed is the store's business.
 */
/** A text read without its history kept apart (see `MessageStore.head`). */
export type MessageHead = { message: MessageRecord; whole(): Promise<MessageRecord> };

export interface MessageStore {
  /** Conditional create, with the record's first history entries; false when the id exists already. */
  create(message: MessageRecord): Promise<boolean>;
  /**
   * Creates records whose ids were all drawn at random (`newMessageId`) in as few round trips as
   * the store can; an enrollment's texts atomically (up to 100 puts, the transaction limit).
   */
  createFresh(messages: MessageRecord[]): Promise<void>;
  /** A text ConsentLine sends; undefined for an unknown id or a received text. */
  get(messageId: string): Promise<MessageRecord | undefined>;
  /**
   * The text as its own item holds it, for a caller that decides and moves it without reading
   * its past (the send worker): `message.history` lists only the entries the item keeps (the
   * first one, `sent` and the final statuses, not the recurring moves kept apart), and
   * `message.receipt` is there only when the item carries it. `whole()` adds the rest to the
   * item read, once, without reading the item again.
   */
  head(messageId: string): Promise<MessageHead | undefined>;
  /**
   * Moves a message to `change.status` only if its status is one of `from`; appends `change` to
   * its history, in the same atomic write. Returns the updated record, or undefined when the
   * condition failed. Every
   * `from → change.status` must be a move the lifecycle allows. A message that leaves
   * `scheduled` is no longer due: {@link listDue} never returns it again. Moving back into
   * `scheduled` from elsewhere is {@link returnDue}'s.
   */
  transition(
    messageId: string,
    from: readonly MessageStatus[],
    change: StatusChange,
    changes?: MessageChanges,
    /** The message as the caller read it: returned with this move, not read again. */
    known?: MessageRecord,
  ): Promise<MessageRecord | undefined>;
  /**
   * Gives a drip step the sweep claimed (`queued`) back to `scheduled`, due again at its
   * `dueAt`, so a later sweep retries it; undefined when it is no longer `queued`.
   */
  returnDue(
    step: MessageRecord,
    change: StatusChange & { status: 'scheduled' },
  ): Promise<MessageRecord | undefined>;
  /**
   * A Twilio status callback in one conditional write: moves the message to `change.status` only
   * from one of `from` and only when its stored SID (if any) is `twilioSid`, storing the SID and
   * `change.errorCode`. False when refused: unknown, already applied or stale.
   */
  recordCallback(
    messageId: string,
    twilioSid: string,
    from: readonly MessageStatus[],
    change: StatusChange,
  ): Promise<boolean>;
  findByTwilioSid(twilioSid: string): Promise<MessageRecord | undefined>;
  /**
   * Every text between the agent and the phone, with its history; with `history: false` their
   * states alone (a history then holds only the entries kept on the item: `sent`, final
   * statuses), for a caller that only looks at statuses.
   */
  listByContact(agentId: string, phone: string, options?: { history?: boolean }): Promise<LoggedText[]>;
  /** When the contact last texted the agent (the instant its text was logged), or undefined. */
  lastInboundAt(agentId: string, phone: string): Promise<string | undefined>;
  /** A page of an agent's messages created in [from, to), oldest first. */
  listByAgent(
    agentId: string,
    range: { from: string; to: string },
    cursor?: string,
  ): Promise<{ items: LoggedText[]; cursor?: string }>;
  /** Drip steps still `scheduled` whose due instant falls on the UTC `day` (`YYYY-MM-DD`), at or before `until`. */
  listDue(day: string, until: string): Promise<MessageRecord[]>;
  /** Held messages whose release is before `before`, from the sparse release index (never a Scan). */
  listHeldBefore(before: string): Promise<MessageRecord[]>;

  /**
   * Takes a received text for one webhook delivery in one conditional write: it is logged when
   * absent, and taken over when an earlier delivery was interrupted or let its lease run out
   * (`leaseMs` after `at`). Undefined when it is handled already or another delivery holds it.
   */
  claimInbound(received: InboundRecord, leaseMs: number): Promise<InboundClaim | undefined>;
  /** Closes a delivery's claim: `handled`, or `interrupted` for a retry to take over. */
  finishInbound(
    claim: InboundClaim,
    change: InboundChange & { status: 'handled' | 'interrupted' },
    repliedBy?: string,
  ): Promise<void>;
  /** The received text logged under this MessageSid, if any. */
  getInbound(messageSid: string): Promise<InboundRecord | undefined>;
}

/** A text handed to Twilio, as the caps count it (every agent, one phone). */
export type RecentSendRecord = { at: string; purpose: Purpose; messageId: string };

/**
 * What a send worker takes in one atomic step before it calls Twilio (RULES §3, §5): the
 * message's move out of `from`, the recipient's send slot and the agent's slot of the UTC day.
 * Either all three are taken or none is.
 */
export type SendClaim = {
  messageId: string;
  /** What the message's retention counts from (RULES §6); its history entry is kept as long. */
  kept: Pick<MessageRecord, 'createdAt' | 'dueAt'>;
  from: readonly MessageStatus[];
  change: StatusChange;
  changes?: MessageChanges;
  /**
   * The recipient's slot, as `claimSend` takes it; absent for a cap-exempt text. `seenSends`: the
   * list read at `seenVersion`, so the claim need not read it again.
   */
  recipient?: {
    phone: string;
    send: RecentSendRecord;
    seenVersion: number;
    keepSince: string;
    seenSends?: RecentSendRecord[];
  };
  /**
   * The agent's slot of `utcDate`, taken only while fewer than `cap` are taken; absent when exempt.
   * `seenCount`: the agent's sends that day as the decision read them (a stale count refuses it).
   */
  agentDay?: { agentId: string; utcDate: string; cap: number; seenCount: number };
  /**
   * The consent the gate decided on, still current: the agent's chain for the phone ends at
   * `ledgerSeq`, the phone's opt-outs at `optOutSeq` (0: none) and no reassignment after
   * `reassignedAt` (absent: none at all) is recorded. Absent for keyword replies.
   */
  consent?: {
    agentId: string;
    phone: string;
    ledgerSeq: number;
    optOutSeq: number;
    reassignedAt?: string;
    /** The version of the phone's derived state the decision read (0: none). */
    stateVersion: number;
  };
  /** The agent must still exist unsuspended; absent for keyword replies. */
  activeAgentId?: string;
  /** No blackout declared or ended since the decision saw this version; absent when none can bind the text. */
  blackoutsVersion?: number;
  /** The message must not have moved since it was stored at this `updatedAt` (a decision read earlier). */
  unchangedSince?: string;
};

/** Which part of a {@link SendClaim} was refused; nothing at all was written then. */
export type SendClaimLoss =
  'message' | 'recipient' | 'agent_day' | 'consent' | 'agent' | 'blackouts' | 'contention';

/**
 * The caps' counters (RULES §3, §5): per recipient the recent sends of every agent, per agent
 * and UTC day a send count.
 */
export interface CapStore {
  /** Sends to `phone` by any agent since `since`, with the version to pass to `claimSend`. */
  recentSends(phone: string, since: string): Promise<{ sends: RecentSendRecord[]; version: number }>;
  /**
   * Takes a send slot atomically: records the send only if the stored list still equals what
   * the caller decided on (optimistic concurrency), so two workers cannot both take the last slot.
   */
  claimSend(phone: string, send: RecentSendRecord, seenVersion: number, keepSince: string): Promise<boolean>;
  agentSendsOn(agentId: string, utcDate: string): Promise<number>;
  incrementAgentSends(agentId: string, utcDate: string): Promise<number>;
  /** Takes every part of `claim` in one transaction; the part refused when it did not. */
  claimSending(claim: SendClaim): Promise<{ claimed: true } | { claimed: false; lost: SendClaimLoss }>;
  /** Gives back an agent-day slot whose text Twilio certainly did not take. */
  releaseAgentSend(agentId: string, utcDate: string): Promise<void>;
  /**
   * The copy of the phone's derived-state version the send claim checks: `kept` false when the
   * phone's counters item is gone (expired with its sends, which leaves no copy to be stale).
   */
  consentVersionCopy(phone: string): Promise<{ kept: false } | { kept: true; version?: number }>;
}

/** How far the drip sweep has come (usecases/sweep.ts). */
export interface SweepCursorStore {
  /** The last UTC day (`YYYY-MM-DD`) the drip sweep has fully swept; undefined before the first sweep. */
  sweptThrough(): Promise<string | undefined>;
  /** Records `day` as swept when it is later than the stored day: concurrent sweeps never move it back. */
  advance(day: string): Promise<void>;
  /** Starts the sweep at the day after `day` unless a sweep has run already (an enrollment's first step must be swept). */
  startAfter(day: string): Promise<void>;
}

/** The accounts' own cadences (RULES §5), each replacing the default for enrollments made after it. */
export interface CadenceStore {
  get(agentId: string): Promise<Cadence | undefined>;
  save(agentId: string, cadence: Cadence, at: string): Promise<void>;
}

/**
 * Twilio's block list entry for one sender (number or Messaging Service) and phone, as ConsentLine
 * last saw it change: blocked by a STOP Twilio handled, lifted by a START/YES/UNSTOP it handled.
 */
export type TwilioBlock = {
  /** `MG…` Messaging Service SID, or the E.164 sender number. */
  sender: string;
  phone: string;
  blocked: boolean;
  /** When the keyword that set this state was received. */
  at: string;
  messageSid: string;
  /** The keyword as the contact typed it. */
  words: string;
};

/** Which of the gate's by-key reads one text needs (RULES §1–§5); see {@link GateReadStore}. */
export type GateReadKeys = {
  agentId: string;
  /** The agent as the caller read it in the same request (the API's auth): not read again. */
  knownAgent?: Agent;
  /** The contact's phone; absent for a forward (it goes to the agent). */
  contactPhone?: string;
  /** The recipient's recent sends since `since` and the agent's count on `utcDate`; absent for exempt texts. */
  caps?: { phone: string; since: string; utcDate: string };
  /** Twilio's block of the agent's sender (as `senderOf` names it) for `phone`; absent for a forward. */
  twilioBlock?: {
    phone: string;
    senderOf: (agent: Pick<Agent, 'senderNumber' | 'messagingServiceSid'>) => string;
  };
  /** The phone's cached reassigned-number answer (automated texts: the check before they go). */
  reassignedCheck?: { phone: string };
  /** The blackouts' version and latest end (texts a blackout can hold). */
  blackouts?: true;
  /** The text the reads are for (the send worker): its head, as `MessageStore.head` reads it, in the same batch. */
  messageId?: string;
};

/** What every blackout write moves: `version` (0: none ever declared) and the latest declared end. */
export type BlackoutsVersion = { version: number; latestEnd?: string };

/** What {@link GateReadStore.loadForGate} found; absent items are absent. */
export type GateKeyReads = {
  agent?: Agent;
  contact?: Contact;
  /** With the version a send claim must still see; absent when `caps` was not asked. */
  recentSends?: { sends: RecentSendRecord[]; version: number };
  agentSendsToday: number;
  twilioBlock?: TwilioBlock;
  reassignedCheck?: ReassignedCheckRecord;
  blackouts?: BlackoutsVersion;
  /** The head of `messageId`; absent when not asked or no such text is logged. */
  message?: MessageHead;
};

/** The gate's reads by key, together: fresh (strongly consistent), in one round trip where it can. */
export interface GateReadStore {
  loadForGate(keys: GateReadKeys): Promise<GateKeyReads>;
}

export interface TwilioBlockStore {
  /** Stores `block` unless a change received later is stored already (redeliveries arrive late). */
  record(block: TwilioBlock): Promise<void>;
  get(sender: string, phone: string): Promise<TwilioBlock | undefined>;
}

/** A Twilio webhook exactly as it arrived: enough to verify its signature and replay it later. */
export type CapturedWebhook = {
  rawPath: string;
  rawQueryString: string;
  /** The form as received (base64 when API Gateway said so). */
  body: string;
  isBase64Encoded: boolean;
  /** `x-twilio-signature` and `content-type`, as received. */
  headers: Record<string, string>;
  receivedAt: string;
};

/** Durable storage of fallback webhooks, replayed by the fallback processor (at least once). */
export interface InboundCapture {
  capture(webhook: CapturedWebhook): Promise<void>;
}

/**
 * What the gate's reads for a message are keyed by: fixed from its creation on, so a queue
 * message can carry it and the worker read for the gate while it reads the message.
 */
export type GateKey = Pick<MessageRecord, 'messageId' | 'agentId' | 'phone' | 'kind' | 'purpose'>;

/** The {@link GateKey} of a message: its own fields only. */
export function gateKeyOf(message: GateKey): GateKey {
  const { messageId, agentId, phone, kind, purpose } = message;
  return { messageId, agentId, phone, kind, purpose };
}

/**
 * One message for the send queue. FIFO: message group = recipient phone, deduplication id =
 * message id (plus attempt). `decided`: what the API read and decided on, so the worker need not
 * read it again. `gate`: the message's {@link GateKey}.
 */
export type QueuedSend = {
  messageId: string;
  phone: string;
  dedupSuffix?: string;
  decided?: DecidedSend;
  gate?: GateKey;
};

export interface SendQueue {
  enqueue(message: QueuedSend): Promise<void>;
  /**
   * Several at once, in as few requests as the queue takes (SQS: batches of 10); resolves to the
   * messages it did not take, each with why, so the caller can put them back.
   */
  enqueueAll(messages: readonly QueuedSend[]): Promise<{ messageId: string; error: string }[]>;
}

/**
 * What the API read for a text it queued, as the worker takes it over: the message as logged,
 * the gate's reads by key and the phone's consent records with the derived state they add up to.
 * The worker decides again on them at its own clock, and its send claim holds only while each
 * still stands (the message unmoved, the derived state, the agent, the recipient's send list).
 */
export type DecidedSend = {
  /** When the API read them. */
  readAt: string;
  message: MessageRecord;
  keyed: GateKeyReads;
  /** Absent for a keyword reply (no consent read). */
  consent?: { ledger: LedgerRecord[]; optOuts: OptOutRecord[]; numbers: NumberFacts; state?: PhoneState };
};

export interface ReleaseScheduler {
  /**
   * A one-time schedule that puts the message back on the queue at `releaseAt` (a whole minute).
   * Booked once per (message, releaseAt, attempt): a new attempt — a release that came back
   * early — gets a schedule of its own, never the name of one that already fired.
   */
  scheduleRelease(message: {
    messageId: string;
    phone: string;
    releaseAt: string;
    attempt: number;
    /** Carried to the queue, as {@link SendQueue.enqueue} carries it. */
    gate?: GateKey;
  }): Promise<void>;
}

export type SmsSendResult =
  | { ok: true; sid: string; status: string }
  | { ok: false; errorCode: string; message: string; retryable: boolean };

export interface SmsGateway {
  /** Sends through `messagingServiceSid` when given (Twilio picks the number of its pool), else from `from`. */
  send(message: {
    from: string;
    messagingServiceSid?: string;
    to: string;
    body: string;
    statusCallback?: string;
  }): Promise<SmsSendResult>;
}

/** A conditional write lost: the record exists already or moved on. */
export class ConflictError extends Conflict {
  override readonly name = 'ConflictError';

  constructor(message: string) {
    super('conflict', message);
  }
}

// ---------- Numbers: reassigned-number checks, line types, reassignments (usecases/number-check.ts) ----------

/** A Lookup call that did not give a usable answer: HTTP error, timeout, Twilio error code, unparsable body. */
export type LookupFailure = { ok: false; reason: string; raw?: string };

export type ReassignedLookup =
  { ok: true; answer: 'reassigned' | 'not_reassigned' | 'no_data'; raw: string } | LookupFailure;

/** `line_type_intelligence.type` as Twilio names it: `mobile`, `landline`, `fixedVoip`, `nonFixedVoip`, `tollFree`… */
export type LineTypeLookup = { ok: true; lineType: string; raw: string } | LookupFailure;

/** Twilio Lookup v2, or its local stand-in. Never throws: a failure is an answer too. */
export interface NumberLookup {
  /** `Fields=reassigned_number` with `LastVerifiedDate` (`YYYY-MM-DD`; sent as YYYYMMDD). */
  reassigned(phone: string, lastVerifiedDate: string): Promise<ReassignedLookup>;
  /** `Fields=line_type_intelligence`. */
  lineType(phone: string): Promise<LineTypeLookup>;
}

/** The latest reassigned-number answer for a phone, whichever agent's text asked it. */
export type ReassignedCheckRecord = {
  phone: string;
  checkedAt: string;
  lastVerifiedDate: string;
  answer: 'reassigned' | 'not_reassigned' | 'no_data';
  /** Lookup's answer as received. */
  raw: string;
};

export type LineTypeRecord = { phone: string; checkedAt: string; lineType: string; raw: string };

/** `number_reassigned` (RULES §1): platform-wide, put-only, never deleted. */
export type ReassignmentRecord = {
  id: string;
  phone: string;
  /** The instant from which consents are void: the day after the last verified day. */
  at: string;
  lastVerifiedDate: string;
  recordedAt: string;
  source: 'twilio_lookup';
  /** The agent whose text found it. */
  agentId?: string;
};

/** Everything known about one phone as a number, read in one round trip. */
export type NumberFacts = {
  reassignedCheck?: ReassignedCheckRecord;
  lineType?: LineTypeRecord;
  reassignments: ReassignmentRecord[];
};

export interface NumberStore {
  facts(phone: string): Promise<NumberFacts>;
  saveReassignedCheck(record: ReassignedCheckRecord): Promise<void>;
  saveLineType(record: LineTypeRecord): Promise<void>;
  /** Idempotent per (phone, at): a second detection of the same reassignment returns the first record. */
  recordReassignment(draft: Omit<ReassignmentRecord, 'id'>): Promise<ReassignmentRecord>;
}

/** A state-of-emergency blackout as an admin declared it (RULES §3); stored once, never changed. */
export type BlackoutRecord = {
  blackoutId: string;
  /** USPS codes. */
  states: string[];
  /** ISO instants; automated texts to those states are held in [start, end). */
  start: string;
  end: string;
  reason: string;
  createdAt: string;
  createdBy: string;
};

/** An admin's early end of a blackout: a record of its own, next to the declaration it ends. */
export type BlackoutEndRecord = {
  blackoutId: string;
  /** From this instant on the blackout holds nothing. */
  endedAt: string;
  reason: string;
  endedBy: string;
};

/** A declaration with its early end, when an admin ended it. */
export type StoredBlackout = BlackoutRecord & { ended?: BlackoutEndRecord };

export interface BlackoutStore {
  /** Conditional put of a new declaration; a {@link ConflictError} when the id exists. */
  declare(record: BlackoutRecord): Promise<void>;
  /**
   * Records the early end of `blackout`, once: false (nothing written) when it has an end already
   * or its declaration is not stored.
   */
  end(blackout: BlackoutRecord, end: BlackoutEndRecord): Promise<boolean>;
  /**
   * Declarations whose declared end is after `after` (every one when absent), each with its early
   * end: what may still hold a text. One strongly consistent read: a blackout declared a moment
   * ago counts.
   */
  list(after?: string): Promise<StoredBlackout[]>;
}
