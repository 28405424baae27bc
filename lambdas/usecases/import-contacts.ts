import { validateConsentMethod } from '../compliance/consent';
import { recipientNumberRefusal } from '../compliance/recipient-number';
import type { Agent, Contact, ContactFields, LedgerRecord } from '../ports';
import { checkEventInstant } from './append-consent';
import { mapBounded } from './bounded';
import type { Deps } from './deps';
import { DomainError, invalidField } from './errors';
import { contactLineType } from './upsert-contact';

/** Consent evidence offered with an import row; any part may be missing. */
export type ImportedConsent = {
  method?: string;
  at?: string;
  capturedBy?: string;
  evidence?: string;
  consentTextVersion?: string;
};

/**
 * One row as the caller parsed it: valid contact data, or why it is not. `consentProblem` says
 * why the consent evidence offered could not even be read (a malformed date): the contact is
 * still imported, without the consent.
 */
export type ImportRow =
  | { ok: true; phone: string; fields: ContactFields; consent?: ImportedConsent; consentProblem?: string }
  | { ok: false; phone?: string; error: string };

/**
 * What became of a row: `created`/`updated` (stored), `failed` (bad data or storage, nothing
 * stored), `refused` (a number that may not be a contact's: non-US, toll-free), `duplicate`
 * (another row of the import has the same number and was taken instead).
 */
export type ImportOutcome = 'created' | 'updated' | 'failed' | 'refused' | 'duplicate';

export type ImportRowResult = {
  /** Index of the row in the request, from 0. */
  row: number;
  phone?: string;
  ok: boolean;
  result: ImportOutcome;
  created?: boolean;
  /** Whether an express written consent event was added to the ledger for this row. */
  consentImported?: boolean;
  /** Why offered consent was not imported, or that it was already on record. */
  note?: string;
  /** The contact was kept but texts cannot reach it (a landline), and why. */
  smsImpossible?: string;
  /** `duplicate`: the index of the row taken instead, and why that one (see `error`). */
  duplicateOf?: number;
  duplicateReason?: string;
  error?: string;
};

export type ImportSummary = {
  rows: number;
  ok: number;
  failed: number;
  consentImported: number;
  refused: number;
  duplicates: number;
};

export const MAX_IMPORT_ROWS = 1000;
// Enough parallel writes to finish 1,000 rows well inside an API Gateway timeout, few enough
// not to burst past a table's provisioned or on-demand warm throughput.
const DEFAULT_CONCURRENCY = 8;
// Lookups are network round trips of their own (~0.1–1 s each on Twilio), not table writes:
// more of them in flight keeps 1,000 new numbers well inside API Gateway's 29 s.
const DEFAULT_LOOKUP_CONCURRENCY = 32;

const REQUIRED_EVIDENCE = ['method', 'at', 'capturedBy', 'evidence'] as const;

/**
 * Imports contacts for an agent, each row on its own: a bad row fails alone and nothing of it
 * is stored. Importing contacts never imports consent (RULES §1): a row's consent is added to
 * the ledger only with full, readable evidence (method, at, capturedBy, evidence) and a method
 * that is consent; otherwise the contact is still stored, with status `none`, and the row says
 * why the consent was dropped. Numbers that may not be contacts (non-US, toll-free) are refused
 * per row with the rule; a landline is stored with SMS marked impossible.
 *
 * Rows with the same number (after normalising to E.164) are one contact: one row is taken —
 * the last one with importable consent evidence, else the last one — and every other is a
 * `duplicate` naming the row taken and why. Each distinct new number costs one line-type
 * Lookup, with more Lookups in flight than writes and each row written once its own answer is in.
 */
export async function importContacts(
  deps: Pick<Deps, 'clock' | 'stores' | 'lookup'>,
  agent: Agent,
  rows: readonly ImportRow[],
  opts: { concurrency?: number; lookupConcurrency?: number } = {},
): Promise<{ results: ImportRowResult[]; summary: ImportSummary }> {
  if (rows.length > MAX_IMPORT_ROWS) {
    throw invalidField('body.rows', `at most ${MAX_IMPORT_ROWS} rows per import`);
  }
  const now = deps.clock.now();
  const prepared = rows.map((row, index) => prepareRow(row, index, now));
  const duplicates = resolveDuplicates(prepared);
  const toStore = prepared.filter(
    (entry): entry is Extract<PreparedRow, { kind: 'store' }> =>
      entry.kind === 'store' && !duplicates.has(entry.index),
  );
  const lineTypes = lookUpLineTypes(
    deps,
    [...new Set(toStore.map((entry) => entry.row.phone))],
    opts.lookupConcurrency ?? DEFAULT_LOOKUP_CONCURRENCY,
  );
  const results = await mapBounded(prepared, opts.concurrency ?? DEFAULT_CONCURRENCY, async (entry) => {
    if (entry.kind === 'done') return entry.result;
    const duplicate = duplicates.get(entry.index);
    if (duplicate !== undefined) return duplicate;
    return storeRow(deps, agent, entry, await lineTypes.get(entry.row.phone), now);
  });
  const count = (outcome: ImportOutcome) => results.filter((result) => result.result === outcome).length;
  const summary: ImportSummary = {
    rows: results.length,
    ok: results.filter((result) => result.ok).length,
    failed: count('failed'),
    consentImported: results.filter((result) => result.consentImported === true).length,
    refused: count('refused'),
    duplicates: count('duplicate'),
  };
  return { results, summary };
}

/** Consent evidence complete enough for the ledger. */
type Evidence = {
  method: string;
  at: string;
  capturedBy: string;
  evidence: string;
  consentTextVersion?: string;
};

type ConsentPlan = { evidence?: Evidence; note?: string };

type PreparedRow =
  | { kind: 'done'; index: number; result: ImportRowResult }
  | { kind: 'store'; index: number; row: Extract<ImportRow, { ok: true }>; plan: ConsentPlan };

/** A row's checks that need no storage: its own validity, the number's country and kind, its consent. */
function prepareRow(row: ImportRow, index: number, now: Date): PreparedRow {
  if (!row.ok) {
    const result: ImportRowResult = { row: index, ok: false, result: 'failed', error: row.error };
    if (row.phone !== undefined) result.phone = row.phone;
    return { kind: 'done', index, result };
  }
  // Non-US and toll-free numbers are refused per row, with the rule (RULES §3).
  const refusal = recipientNumberRefusal(row.phone);
  if (refusal !== undefined) {
    return {
      kind: 'done',
      index,
      result: { row: index, phone: row.phone, ok: false, result: 'refused', error: `phone: ${refusal}` },
    };
  }
  const plan =
    row.consentProblem === undefined
      ? planConsent(row.consent, now)
      : { note: `consent not imported: ${row.consentProblem}; the contact is kept with status none` };
  return { kind: 'store', index, row, plan };
}

/**
 * The rows that lose to another row of the same number, each with its `duplicate` result.
 * The row kept is the last one whose consent can be imported, else the last one: a later row
 * of a file is taken as the newer entry, but never at the price of dropping consent evidence.
 */
function resolveDuplicates(prepared: readonly PreparedRow[]): Map<number, ImportRowResult> {
  const byPhone = new Map<string, Extract<PreparedRow, { kind: 'store' }>[]>();
  for (const entry of prepared) {
    if (entry.kind !== 'store') continue;
    const group = byPhone.get(entry.row.phone) ?? [];
    group.push(entry);
    byPhone.set(entry.row.phone, group);
  }
  const losers = new Map<number, ImportRowResult>();
  for (const [phone, group] of byPhone) {
    if (group.length < 2) continue;
    const withConsent = group.filter((entry) => entry.plan.evidence !== undefined);
    const winner = (withConsent.length > 0 ? withConsent : group).at(-1)!;
    for (const entry of group) {
      if (entry === winner) continue;
      const why =
        withConsent.length > 0 && entry.plan.evidence === undefined
          ? 'it carries consent evidence that can be imported and this row does not'
          : withConsent.length > 0
            ? 'both carry consent evidence and it comes later in the import (the later row is taken as the newer)'
            : 'it comes later in the import (the later row is taken as the newer)';
      losers.set(entry.index, {
        row: entry.index,
        phone,
        ok: false,
        result: 'duplicate',
        duplicateOf: winner.index,
        duplicateReason: why,
        error: `same number ${phone} as row ${winner.index + 1} of this import, which was taken instead because ${why}; nothing of this row was stored`,
      });
    }
  }
  return losers;
}

/**
 * Each distinct phone's line type, one Lookup at most per phone (and none when a cached answer
 * exists), `limit` in flight, started at once: a row's write waits only for its own phone's
 * answer, so the writes overlap the Lookups instead of following them. A failed Lookup leaves
 * the line type unknown, as at intake.
 */
function lookUpLineTypes(
  deps: Pick<Deps, 'clock' | 'stores' | 'lookup'>,
  phones: readonly string[],
  limit: number,
): Map<string, Promise<Contact['lineType']>> {
  const answers = new Map<string, Promise<Contact['lineType']>>();
  const settle = new Map<string, (answer: Contact['lineType']) => void>();
  for (const phone of phones) {
    answers.set(phone, new Promise((resolve) => settle.set(phone, resolve)));
  }
  void mapBounded(phones, limit, async (phone) => {
    let answer: Contact['lineType'];
    try {
      answer = await contactLineType(deps, phone);
    } catch {
      answer = undefined;
    }
    settle.get(phone)?.(answer);
  });
  return answers;
}

async function storeRow(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  entry: Extract<PreparedRow, { kind: 'store' }>,
  lineType: Contact['lineType'],
  now: Date,
): Promise<ImportRowResult> {
  const { index, row, plan } = entry;
  const at = now.toISOString();
  try {
    const fields = lineType === undefined ? row.fields : { ...row.fields, lineType };
    const { created } = await deps.stores.contacts.upsert(agent.agentId, row.phone, fields, at);
    const result: ImportRowResult = {
      row: index,
      phone: row.phone,
      ok: true,
      result: created ? 'created' : 'updated',
      created,
      consentImported: false,
    };
    if (lineType?.sms === false) result.smsImpossible = lineType.reason ?? `line type ${lineType.type}`;
    if (plan.note !== undefined) result.note = plan.note;
    const { evidence } = plan;
    if (evidence === undefined) return result;
    const appended = await deps.stores.ledger.appendUnlessRecorded(
      {
        agentId: agent.agentId,
        phone: row.phone,
        channel: 'sms',
        type: 'express_written',
        ...evidence,
        source: 'import',
      },
      at,
      (record) => sameEvidence(record, evidence),
    );
    if (appended === undefined) return { ...result, note: 'consent already on record; not added again' };
    return { ...result, consentImported: true };
  } catch (error) {
    // One row's storage failure must not hide what happened to the others; the caller retries it.
    const reason = error instanceof Error ? error.name : 'error';
    return {
      row: index,
      phone: row.phone,
      ok: false,
      result: 'failed',
      error: `could not store this row (${reason}); retry it`,
    };
  }
}

/**
 * What to do with a row's consent: import it, or say why not. Bad evidence (missing parts, an
 * implausible date, a method that is not consent) drops the consent, never the contact.
 */
function planConsent(consent: ImportedConsent | undefined, now: Date): ConsentPlan {
  if (consent === undefined) return {};
  if (consent.at !== undefined) {
    try {
      checkEventInstant(consent.at, now, 'consent.at');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { note: `consent not imported: ${error.message}; the contact is kept with status none` };
    }
  }
  const { method, at, capturedBy, evidence, consentTextVersion } = consent;
  if (method === undefined || at === undefined || capturedBy === undefined || evidence === undefined) {
    const missing = REQUIRED_EVIDENCE.filter((field) => consent[field] === undefined);
    return { note: `consent not imported: evidence is missing ${missing.join(', ')}; status stays none` };
  }
  const check = validateConsentMethod(method);
  if (!check.ok) return { note: `consent not imported: ${check.reason ?? 'not a consent method'}` };
  const complete: Evidence = { method, at, capturedBy, evidence };
  if (consentTextVersion !== undefined) complete.consentTextVersion = consentTextVersion;
  return { evidence: complete };
}

/** Re-importing the same file must not stack identical consent events in the chain. */
function sameEvidence(record: LedgerRecord, evidence: Evidence): boolean {
  return (
    record.type === 'express_written' &&
    record.channel === 'sms' &&
    Date.parse(record.at) === Date.parse(evidence.at) &&
    record.method === evidence.method &&
    record.evidence === evidence.evidence
  );
}
