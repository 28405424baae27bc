import type { LedgerFact, OptOutFact } from './spec/consent';

/**
 * What the checker reads after a run: what the phones received (the Twilio stand-in's outbox,
 * timed by the test clock) and the records the pipeline kept. Plain data, so a test can hand
 * the checker a doctored copy.
 */
export type RunSnapshot = {
  outbox: OutboxSend[];
  messages: LoggedMessage[];
  ledger: LedgerFact[];
  optOuts: OptOutFact[];
  contacts: ContactFact[];
  agents: AgentFact[];
  /** The test clock when the run ended, after the final settle. */
  endedAt: string;
  /** What the phones texted in, as the simulation sent it (absent: nothing is known of it). */
  phoneTexts?: PhoneText[];
  /** Numbers that changed hands during the run (the simulation's ground truth). */
  reassignments?: Reassignment[];
  /** `number_reassigned` records the pipeline kept (its Lookup checks found them). */
  reassignmentsFound?: ReassignmentFact[];
  /** Phones whose stored derived state differs from the one recomputed from their records. */
  derivedStateDrift?: DerivedStateDrift[];
};

/** One phone's derived state as `ledger verify` found it against the phone's records. */
export type DerivedStateDrift = { phone: string; differences: string[] };

/** A text a contact's phone sent to an agent's number, and whether the phone means to opt out. */
export type PhoneText = {
  sid: string;
  from: string;
  to: string;
  body: string;
  at: string;
  /** A STOP keyword or a revocation in words: an opt-out must follow. */
  optOut: boolean;
};

/**
 * A number that changed hands: the carrier disconnected it at `disconnectedAt` (the Reassigned
 * Numbers Database reports it from then) and a new subscriber has it from `newOwnerFrom`.
 */
export type Reassignment = { phone: string; disconnectedAt: string; newOwnerFrom: string };

/** A `number_reassigned` record: voids every consent for the phone dated before `at`. */
export type ReassignmentFact = { phone: string; at: string; recordedAt: string };

/** A text Twilio accepted. */
export type OutboxSend = {
  sid: string;
  from: string;
  to: string;
  body: string;
  /** When Twilio accepted it, by the test clock. */
  at: string;
  status?: string;
  errorCode?: string;
  /** `keyword`: Twilio's own answer to a STOP/START/HELP keyword, not a text ConsentLine sent. */
  origin?: 'api' | 'twiml' | 'keyword';
};

/** The message-log fields the checker reads. */
export type LoggedMessage = {
  messageId: string;
  agentId: string;
  phone: string;
  kind: string;
  status: string;
  createdAt: string;
  twilioSid?: string;
  releaseAt?: string;
  /** Status changes (status and instant only), for messages that were ever held. */
  history?: Array<{ status: string; at: string; releaseAt?: string }>;
  dueAt?: string;
  body?: string;
  errorCode?: string;
};

export type ContactFact = {
  agentId: string;
  phone: string;
  state?: string;
  postalCode?: string;
  timeZone?: string;
};

export type AgentFact = { agentId: string; senderNumber: string; forwardTo: string; doubleOptIn: boolean };

export type { LedgerFact, OptOutFact };
