/**
 * The vocabulary of the compliance core. Everything here is plain data: the core never
 * reads a clock, a table or the environment; callers pass what it needs.
 */

/** Why a text is sent: drip/scheduled, typed by the agent, or a reply to the contact's own keyword. */
export type Purpose = 'automated' | 'manual' | 'confirmation';

export type Channel = 'sms' | 'email' | 'voice';

export type ConsentEventType =
  'express_written' | 'express_oral' | 'ebr_transaction' | 'ebr_inquiry' | 'revocation' | 'global_opt_out';

/** How a revocation reached the agent; its `channel` is what it covers ("stop texting me" on a call covers SMS). */
export type ReceivedVia = 'sms' | 'voice' | 'email' | 'in_person' | 'mail' | 'other';

/** One entry of the append-only consent ledger (RULES §1). */
export type ConsentEvent = {
  id: string;
  /** `'*'` on `global_opt_out` events: they apply to every agent. */
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
  /** When the ledger stored it: orders events of one chain that carry the same `at`. */
  recordedAt?: Date;
  /**
   * Position in the (agent, phone) chain, for events recorded at the same instant. A global
   * opt-out written together with this agent's revocation carries that revocation's position.
   */
  sequence?: number;
  /** Global opt-outs: the agent whose chain `sequence` belongs to; other agents cannot order by it. */
  chainAgentId?: string;
  /**
   * Global opt-outs: the agent whose number received it, when one did. Another agent is told only
   * that the number opted out platform-wide: not when, how or in which words.
   */
  viaAgentId?: string;
  /** Revocations: how it arrived. */
  receivedVia?: ReceivedVia;
};

export type ConsentStatus =
  'express_written' | 'express_oral' | 'ebr_transaction' | 'ebr_inquiry' | 'none' | 'revoked' | 'opted_out';

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

/**
 * What an inbound text says. `matched` is the keyword as spelled in the rules, or the words a
 * revocation rule matched; `rule` and `rulesVersion` name what decided, `certainty` how sure it
 * is (`likely`: the reading that honours a possible revocation), `language` the text's language
 * (`und` when nothing says).
 */
export type InboundClassification = {
  kind: InboundKind;
  matched?: string;
  certainty?: 'clear' | 'likely';
  rule?: string;
  rulesVersion?: string;
  language?: string;
};

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

/** The badge an agent sees for a contact: one word that never contradicts what it permits. */
export const CONSENT_BADGES = [
  'consented',
  'oral_only',
  'ebr_only',
  'no_consent',
  'revoked',
  'opted_out',
] as const;
export type ConsentBadge = (typeof CONSENT_BADGES)[number];

/**
 * The one view of a contact's consent for one agent (API, CLI, audit): the badge, what it
 * permits now, the event it rests on and a sentence saying why.
 */
export type ConsentView = {
  badge: ConsentBadge;
  permits: { automated: boolean; manual: boolean; consentRequest: boolean };
  /** ISO: when the consent (or the block) the badge names began. */
  since?: string;
  /** ISO: when it ends (EBR windows), exclusive. */
  until?: string;
  reliedOn?: { eventId: string; type: ConsentEventType; method?: string; at: string };
  reason: string;
  /** Something true the badge does not say, e.g. an earlier platform-wide opt-out. */
  note?: string;
};
