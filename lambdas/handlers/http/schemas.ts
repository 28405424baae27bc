/**
 * The HTTP API's request and response shapes. Requests are parsed with these (unknown keys are
 * refused so a typo is reported, not ignored); responses are documented with them, and the
 * OpenAPI document is generated from both.
 */
import { parsePhoneNumberFromString, type MetadataJson } from 'libphonenumber-js/core';
import nanpMetadata from '../../rules/data/phone-metadata.json';
import * as z from 'zod';
import {
  MAX_BROKERAGE_CHARS,
  MAX_SENDER_NAME_CHARS,
  senderIdentityProblems,
} from '../../compliance/sender-identity';
import { isIanaZone, uspsCodes } from '../../rules/area-codes';
import { MAX_IMPORT_ROWS } from '../../usecases/import-contacts';
import {
  CONSENT_BADGES,
  DEFAULT_CONTACT_PAGE_SIZE,
  MAX_CONTACT_PAGE_SIZE,
} from '../../usecases/list-contacts';

// ---------- building blocks ----------

const MAX_PHONE_INPUT = 40;
const EARLIEST_YEAR = 1990;
const LATEST_YEAR = 2100;

// With the u flag a valid surrogate pair is one code point, so this matches only lone halves:
// not text, and every UTF-8 encoding (hashing, exports) turns them into U+FFFD, so what is
// stored would differ from what is hashed and shown.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Bounded free text, trimmed, valid Unicode; `max` in characters. It may be empty: where an
 * empty text breaks a rule of the use case, the use case says so (422 naming the field).
 */
export const freeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((value) => !LONE_SURROGATE.test(value), 'is not valid Unicode text');

/** Bounded free text, trimmed, not empty; `max` in characters. */
const text = (max: number) => freeText(max).min(1, 'must not be empty');

/** Why `input` is not a textable North American number, or its E.164 form. */
export function toE164(input: string): { e164: string } | { problem: string } {
  const parsed = parsePhoneNumberFromString(input, 'US', nanpMetadata as unknown as MetadataJson);
  if (parsed === undefined || !parsed.isValid()) {
    return {
      problem: `"${input.slice(0, MAX_PHONE_INPUT)}" is not a valid phone number: a US number is a 3-digit area code and a 7-digit number, e.g. (212) 555-0123 or +12125550123`,
    };
  }
  // ConsentLine applies US and Canadian rules only (TCPA, state quiet hours, NANP area codes).
  if (parsed.countryCallingCode !== '1') return { problem: 'only North American (+1) numbers are supported' };
  if (parsed.ext !== undefined) return { problem: 'a number with an extension cannot receive texts' };
  return { e164: parsed.number };
}

/** A phone number in national (`(212) 555-0123`) or E.164 (`+12125550123`) form; parsed to E.164. */
export const phoneNumber = z
  .string()
  .max(MAX_PHONE_INPUT)
  .transform((input, ctx) => {
    const result = toE164(input);
    if ('problem' in result) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return result.e164;
  })
  .meta({
    description: 'US/Canada number, national or E.164 form; stored as E.164',
    examples: ['+12125550123'],
  });

/** A phone number taken from a URL path: percent-encoded forms (`%2B1212…`) are decoded first. */
export const pathPhone = z
  .string()
  .max(MAX_PHONE_INPUT * 3)
  .transform((raw) => decodePathSegment(raw))
  .pipe(phoneNumber);

/** E.164 as stored and returned. */
export const e164 = z.string().regex(/^\+1\d{10}$/);

const yearInRange = (iso: string): boolean => {
  const year = new Date(iso).getUTCFullYear();
  return year >= EARLIEST_YEAR && year <= LATEST_YEAR;
};

/**
 * An instant with an explicit zone (`Z` or `±hh:mm`), returned as UTC ISO-8601. Years outside
 * 1990–2100 are refused as typos; use cases apply tighter bounds that need the clock.
 */
export const isoInstant = z.iso
  .datetime({ offset: true })
  .refine(yearInRange, `must be between ${EARLIEST_YEAR} and ${LATEST_YEAR}`)
  .transform((iso) => new Date(iso).toISOString())
  .meta({ examples: ['2026-03-14T15:09:26Z'] });

/** A calendar date `YYYY-MM-DD` between 1990 and 2100 (a closing date may be in the future). */
export const isoDate = z.iso
  .date()
  .refine(yearInRange, `must be between ${EARLIEST_YEAR} and ${LATEST_YEAR}`)
  .meta({ examples: ['2026-06-30'] });

/** A USPS state or territory code, any case; returned upper-case. */
export const usState = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => uspsCodes.has(code), 'not a USPS state or territory code')
  .meta({ examples: ['FL'] });

/** An IANA zone Intl knows, returned in its canonical spelling. */
export const timeZone = z
  .string()
  .trim()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, 'not an IANA time zone name')
  .refine(isIanaZone, 'unknown IANA time zone')
  .transform((zone) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone)
  .meta({ examples: ['America/Chicago'] });

export const postalCode = z
  .string()
  .trim()
  .regex(/^\d{5}(-\d{4})?$/, 'must be a US ZIP code (12345 or 12345-6789)');

/** A Twilio Messaging Service SID: `MG` and 32 hex digits. */
const messagingServiceSid = z
  .string()
  .trim()
  .regex(/^MG[0-9a-f]{32}$/, 'must be a Twilio Messaging Service SID: MG and 32 hex digits');

const agentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an agent id');

const eventId = z.string().trim().min(1).max(128);

const channel = z.enum(['sms', 'email', 'voice']);

// ---------- requests ----------

export const agentPath = z.strictObject({ agentId });

/** Why an agent is suspended: stored, shown to the agent, and carried by every text it blocks. */
export const suspendBody = z.strictObject({
  reason: text(500).describe('why, in words the agent and an auditor will read'),
});

export const contactPath = z.strictObject({ phone: pathPhone });

/** A name that opens every text the agent sends: checked like a message body's content. */
const senderIdentity = (maxChars: number) =>
  text(maxChars * 2).superRefine((value, ctx) => {
    for (const problem of senderIdentityProblems(value, maxChars))
      ctx.addIssue({ code: 'custom', message: problem });
  });
const keyChange = {
  by: text(100).describe('who asks: the operator’s name, recorded with the change'),
  reason: text(500).describe('why, recorded with the change'),
};

export const rotateKeyBody = z.strictObject({
  ...keyChange,
  overlapHours: z
    .number()
    .min(0)
    .max(24)
    .describe('how long the replaced key keeps working, 0 to 24 hours (0: it stops now)'),
});

export const revokeKeysBody = z.strictObject(keyChange);

export const newAgentBody = z
  .strictObject({
    name: senderIdentity(MAX_SENDER_NAME_CHARS).describe('opens every text the agent sends'),
    brokerage: senderIdentity(MAX_BROKERAGE_CHARS).describe('follows the name in every text'),
    senderNumber: phoneNumber.describe('the Twilio number the agent texts from; one agent per number'),
    forwardTo: phoneNumber.describe('the agent’s own phone; inbound texts and calls are forwarded to it'),
    messagingServiceSid: messagingServiceSid
      .optional()
      .describe(
        'the Twilio Messaging Service the agent sends through (Advanced Opt-Out on); From is used when absent',
      ),
    doubleOptIn: z.boolean().default(false),
  })
  .refine((agent) => agent.forwardTo !== agent.senderNumber, {
    path: ['forwardTo'],
    message: 'must differ from senderNumber, or forwarded texts would loop',
  });

/** The descriptive fields of a contact; consent is never one of them. */
const contactFields = {
  name: text(200).optional(),
  state: usState.optional(),
  postalCode: postalCode.optional(),
  timeZone: timeZone.optional(),
  closingDate: isoDate.optional(),
  address: text(300).optional(),
  notes: text(2000).optional(),
};

/** `DELETE /v1/contacts/{phone}`: the contact's request to be erased, as the agent received it. */
export const eraseContactBody = z.strictObject({
  reason: text(500).describe('why: the contact’s request (when and how it came), recorded with the erasure'),
  by: text(100).optional().describe('who carries it out; the agent’s name when absent'),
});

/** A PUT: a value sets the field, `null` clears it, an absent field is kept. */
export const contactBody = z.strictObject(
  Object.fromEntries(
    Object.entries(contactFields).map(([key, field]) => [key, field.unwrap().nullable().optional()]),
  ) as {
    [K in keyof typeof contactFields]: z.ZodOptional<
      z.ZodNullable<ReturnType<(typeof contactFields)[K]['unwrap']>>
    >;
  },
);

/** Fields every consent event may carry; evidence is optional except for express written consent. */
const consentCommon = {
  channel: channel
    .default('sms')
    .describe('the channel the consent covers; email consent is not SMS consent'),
  at: isoInstant.describe('when it happened: consent obtained, deal closed, inquiry made, consent revoked'),
  method: text(64).optional(),
  capturedBy: text(200).optional(),
  evidence: text(4000).optional(),
  consentTextVersion: text(100).optional(),
  correctsId: eventId.optional().describe('the ledger event this one corrects; the old one stays'),
};

/** Evidence consent must carry, written or oral (RULES §1). */
const consentEvidence = {
  capturedBy: text(200).describe('who captured it'),
  evidence: text(4000).describe('exact words or document reference'),
};

export const consentBody = z.discriminatedUnion('type', [
  z.strictObject({
    ...consentCommon,
    type: z.literal('express_written'),
    method: text(64).describe('how written consent was obtained, e.g. signed_form, e_sign, text_reply'),
    ...consentEvidence,
  }),
  z.strictObject({
    ...consentCommon,
    type: z.literal('express_oral'),
    method: text(64).describe('verbal_call, in_person or referral_sourced: manual texts only'),
    ...consentEvidence,
  }),
  z.strictObject({ ...consentCommon, type: z.literal('ebr_transaction') }),
  z.strictObject({ ...consentCommon, type: z.literal('ebr_inquiry') }),
  z.strictObject({
    ...consentCommon,
    type: z.literal('revocation'),
    channel: channel
      .default('sms')
      .describe('the channel it covers: "stop texting me" said on a call covers sms'),
    receivedVia: z
      .enum(['sms', 'voice', 'email', 'in_person', 'mail', 'other'])
      .optional()
      .describe('how the revocation arrived'),
  }),
]);

/** The part of a consent body read first: an unknown `type` is refused with the valid ones (422). */
export const consentEnvelope = z.looseObject({ type: z.string().max(64) });

/** Consent offered with an import row; bad or incomplete evidence is not an error: the consent is not imported. */
export const importConsent = z.strictObject({
  method: text(64).optional(),
  at: isoInstant.optional(),
  capturedBy: text(200).optional(),
  evidence: text(4000).optional(),
  consentTextVersion: text(100).optional(),
});

export const importRow = z.strictObject({
  phone: phoneNumber,
  ...contactFields,
  consent: importConsent.optional(),
});

/** Rows are checked one by one (see {@link importRow}) so a bad row fails alone. */
export const importBody = z.strictObject({ rows: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS) });

/** What the OpenAPI document shows for an import: the rows' own shape. */
export const importBodyDocumented = z.strictObject({ rows: z.array(importRow).min(1).max(MAX_IMPORT_ROWS) });

export const verifyQuery = z.strictObject({ phone: phoneNumber });

/** `GET /v1/contacts` query: a name/phone search, a consent badge, and paging. */
export const contactListQuery = z.strictObject({
  q: text(100).optional().describe('part of the name (any case, accents ignored) or of the phone number'),
  badge: z.enum(CONSENT_BADGES).optional().describe('only contacts whose consent shows this badge'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CONTACT_PAGE_SIZE)
    .default(DEFAULT_CONTACT_PAGE_SIZE)
    .describe('contacts per page'),
  cursor: z.string().max(512).optional().describe('`nextCursor` of the previous page, as given'),
});

// ---------- responses ----------

export { errorResponse } from './error-response';

export const agentResponse = z.object({
  agentId: z.string(),
  name: z.string(),
  brokerage: z.string(),
  senderNumber: e164,
  forwardTo: e164,
  messagingServiceSid: z.string().optional(),
  doubleOptIn: z.boolean(),
  suspended: z.boolean(),
  suspendedReason: z.string().optional().describe('while suspended: why'),
  suspendedAt: z.string().optional().describe('while suspended: since when'),
  createdAt: z.string(),
});

export const agentListResponse = z.object({
  items: z.array(agentResponse).describe('every agent of the brokerage, by id'),
});

export const agentCreatedResponse = z.object({
  agentId: z.string(),
  apiKey: z.string().describe('shown once; only its hash is stored'),
  agent: agentResponse,
});

export const keyEventResponse = z.object({
  agentId: z.string(),
  seq: z.number(),
  action: z.enum(['rotated', 'revoked']),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  previousKeyValidUntil: z.string().optional(),
});

export const keyRotatedResponse = z.object({
  agentId: z.string(),
  apiKey: z.string().describe('shown once; only its hash is stored'),
  event: keyEventResponse,
});

export const keyEventsResponse = z.object({ agentId: z.string(), events: z.array(keyEventResponse) });

export const contactResponse = z.object({
  agentId: z.string(),
  phone: e164,
  name: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  timeZone: z.string().optional(),
  closingDate: z.string().optional(),
  address: z.string().optional(),
  notes: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  erasedAt: z
    .string()
    .optional()
    .describe('present once the contact’s name, address and notes were erased at their request'),
  enrollment: z
    .object({
      cadenceVersion: z.string(),
      enrolledAt: z.string(),
      status: z.enum(['active', 'stopped']),
      stoppedAt: z.string().optional(),
      stoppedReason: z.string().optional(),
      stoppedByEvent: z.string().optional().describe('the revocation or opt-out that stopped it'),
      closing: z
        .object({
          date: z.string(),
          source: z.enum(['closingDate', 'ebr_transaction']),
          eventId: z.string().optional(),
        })
        .optional()
        .describe(
          'the closing date its closing-anchored steps count from; absent: all count from enrolledAt',
        ),
      skipped: z
        .array(
          z.object({
            step: z.number(),
            anchor: z.enum(['closing', 'enrollment']),
            dueAt: z.string(),
            reason: z.string(),
          }),
        )
        .optional()
        .describe('steps left out because their moment had passed at enrollment, each with why'),
    })
    .optional(),
  consentRequest: z
    .object({
      messageId: z.string(),
      sentAt: z.string(),
      answeredAt: z.string().optional(),
      blocked: z.boolean().optional(),
    })
    .optional()
    .describe('the last consent request sent to the contact'),
  doubleOptIn: z
    .object({ status: z.enum(['not_sent', 'sent', 'accepted', 'rejected']), updatedAt: z.string() })
    .optional(),
  lineType: z
    .object({ type: z.string(), sms: z.boolean(), reason: z.string().optional(), checkedAt: z.string() })
    .optional()
    .describe(
      'Twilio Lookup line type, once per phone: landline → sms false with the reason; VoIP is allowed',
    ),
});

const consentEventType = z.enum([
  'express_written',
  'express_oral',
  'ebr_transaction',
  'ebr_inquiry',
  'revocation',
  'global_opt_out',
  'number_reassigned',
]);

/** The one view of a contact's consent for this agent (the contract every client reads). */
export const consentViewResponse = z.object({
  badge: z.enum(CONSENT_BADGES).describe('one badge; it never contradicts `permits`'),
  permits: z.object({ automated: z.boolean(), manual: z.boolean(), consentRequest: z.boolean() }),
  since: z.string().optional().describe('ISO: when the consent or block the badge names began'),
  until: z.string().optional().describe('ISO: when an EBR window ends (exclusive)'),
  reliedOn: z
    .object({ eventId: z.string(), type: consentEventType, method: z.string().optional(), at: z.string() })
    .optional(),
  reason: z.string().describe('one sentence saying why'),
  note: z.string().optional().describe('e.g. an earlier platform-wide opt-out this agent’s consent outlived'),
});

export const contactWithConsentResponse = z.object({
  contact: contactResponse,
  consent: consentViewResponse,
});

export const contactErasureResponse = z.object({
  contact: contactResponse.describe('as stored now: no name, address or notes, `erasedAt` set'),
  erasure: z
    .object({
      agentId: z.string(),
      phone: e164,
      at: z.string(),
      by: z.string(),
      reason: z.string(),
      erased: z.array(z.string()).describe('the fields that held a value and were removed'),
    })
    .describe('the record of the erasure, kept for good (the ledger, opt-outs and message log stay too)'),
  cancelled: z.number().describe('pending cadence steps cancelled (an active cadence stops)'),
});

export const contactListResponse = z.object({
  items: z.array(contactWithConsentResponse).describe('in phone order'),
  nextCursor: z.string().optional().describe('present when more may follow; absent on the last page'),
});

export const ledgerRecordResponse = z.object({
  chainId: z.string(),
  seq: z.number(),
  id: z.string(),
  agentId: z.string(),
  phone: e164,
  channel,
  type: z.enum(['express_written', 'express_oral', 'ebr_transaction', 'ebr_inquiry', 'revocation']),
  at: z.string(),
  recordedAt: z.string(),
  receivedVia: z.string().optional(),
  method: z.string().optional(),
  evidence: z.string().optional(),
  capturedBy: z.string().optional(),
  consentTextVersion: z.string().optional(),
  correctsId: z.string().optional(),
  source: z.string().optional(),
  certainty: z.enum(['clear', 'likely']).optional(),
  rule: z.string().optional(),
  rulesVersion: z.string().optional(),
  language: z.string().optional(),
  prevHash: z.string(),
  hash: z.string(),
});

export const consentAppendedResponse = z.object({
  event: ledgerRecordResponse,
  consent: consentViewResponse,
});

const optOutEntry = z.union([
  z
    .object({
      kind: z.literal('global_opt_out'),
      viaThisAgent: z.literal(true),
      id: z.string(),
      at: z.string(),
      recordedAt: z.string(),
      source: z.enum(['keyword', 'revocation_phrase', 'carrier_21610', 'admin_import']),
      words: z.string().optional(),
    })
    .describe('an opt-out that reached this agent’s own number'),
  z
    .object({
      kind: z.literal('global_opt_out'),
      viaThisAgent: z.literal(false),
      note: z.literal('opted out platform-wide'),
    })
    .describe('the number opted out through another agent: when, how and the words stay private'),
]);

export const consentHistoryResponse = z.object({
  phone: e164,
  consent: consentViewResponse,
  history: z
    .array(z.union([ledgerRecordResponse.extend({ kind: z.literal('ledger') }), optOutEntry]))
    .describe('oldest first'),
});

export const importResponse = z.object({
  results: z.array(
    z.object({
      row: z.number().describe('index of the row in the request, from 0'),
      phone: z.string().optional(),
      ok: z.boolean(),
      result: z
        .enum(['created', 'updated', 'failed', 'refused', 'duplicate'])
        .describe(
          'refused: a number that may not be a contact (non-US, toll-free); duplicate: another row had the number',
        ),
      created: z.boolean().optional(),
      consentImported: z.boolean().optional(),
      note: z.string().optional().describe('why offered consent was not imported (the contact still was)'),
      smsImpossible: z
        .string()
        .optional()
        .describe('the contact was kept, but texts cannot reach it (a landline)'),
      duplicateOf: z
        .number()
        .optional()
        .describe('index of the row with the same number that was taken instead'),
      duplicateReason: z.string().optional().describe('why that row was taken'),
      error: z.string().optional(),
    }),
  ),
  summary: z.object({
    rows: z.number(),
    ok: z.number(),
    failed: z.number(),
    consentImported: z.number(),
    refused: z.number(),
    duplicates: z.number(),
  }),
});

export const verificationResponse = z.object({
  phone: e164,
  ok: z.boolean(),
  chains: z.array(
    z.object({
      chainId: z.string(),
      events: z.number(),
      ok: z.boolean(),
      firstBroken: z.object({ seq: z.number(), id: z.string(), problem: z.string() }).optional(),
    }),
  ),
  /** Admin only: the phone's derived state recomputed from its records, and every difference. */
  state: z.object({ ok: z.boolean(), version: z.number(), differences: z.array(z.string()) }).optional(),
});

// ---------- helpers ----------

/** Decodes a percent-encoded path segment; a malformed escape is left as is and fails parsing later. */
function decodePathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
