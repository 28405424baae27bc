/**
 * The vocabulary of the compliance core. Everything here is plain data: the core never
 * reads a clock, a table or the environment; callers pass what it needs.
 */

/** Why a text is sent: drip/scheduled, typed by the agent, or a reply to the contact's own keyword. */
export type Purpose = 'automated' | 'manual' | 'confirmation';

export type Channel = 'sms' | 'email' | 'voice';

export type ConsentEventType =
  | 'express_written'
  | 'ebr_transaction'
  | 'ebr_inquiry'
  | 'revocation'
  | 'global_opt_out'
  | 'number_reassigned';

/** One entry of the append-only consent ledger (RULES §1). */
export type ConsentEvent = {
  id: string;
  /** `'*'` on `global_opt_out` and `number_reassigned` events: they apply to every agent. */
  agentId: string;
  /** E.164. */
  phone: string;
  channel: Channel;
  type: ConsentEventType;
  /** When it happened: consent obtained, deal closed, inquiry made, consent revoked. */
  at: Date;
  method?: string;
  evidence?: string;
  capturedBy?: string;
  recordedAt?: Date;
};

export type ConsentStatus =
  | 'express_written'
  | 'ebr_transaction'
  | 'ebr_inquiry'
  | 'none'
  | 'revoked'
  | 'opted_out'
  | 'number_reassigned';

export type ConsentQuery = {
  agentId: string;
  phone: string;
  channel: 'sms';
  at: Date;
  purpose: 'automated' | 'manual';
};

export type ConsentVerdict = {
  status: ConsentStatus;
  /** Whether a text of the query's purpose may rely on the ledger at `at`. */
  permits: boolean;
  ebrExpiresAt?: Date;
  /** Id of the event the permission rests on. */
  reliedOn?: string;
};

export type InboundKind = 'opt_out' | 'opt_in' | 'help' | 'revocation' | 'other';

export type InboundClassification = { kind: InboundKind; matched?: string };

/** Where the recipient may be: every candidate state (USPS code) and IANA zone. */
export type RecipientLocation = { states: string[]; zones: string[] };

export type LocationSignals = { phone: string; state?: string; postalCode?: string; timeZone?: string };

export type WindowQuery = { location: RecipientLocation; at: Date; purpose: Purpose };

export type WindowVerdict = {
  allowed: boolean;
  /** Earliest instant ≥ `at` at which every candidate zone and state allows the text; null if none within the horizon. */
  nextAllowedAt: Date | null;
  reasons: string[];
};

export type ContentAnalysis = {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  shortenerUrls: string[];
  shaftFlags: string[];
};

export type ConsentMethodCheck = { ok: boolean; reason?: string };
