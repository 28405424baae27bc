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
};

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
