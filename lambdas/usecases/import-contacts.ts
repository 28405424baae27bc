import { validateConsentMethod } from '../compliance/consent';
import { recipientNumberRefusal } from '../compliance/recipient-number';
import type { Agent, ContactFields } from '../ports';
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

/** One row as the caller parsed it: valid contact data, or why it is not. */
export type ImportRow =
  | { ok: true; phone: string; fields: ContactFields; consent?: ImportedConsent }
  | { ok: false; phone?: string; error: string };

export type ImportRowResult = {
  /** Index of the row in the request, from 0. */
  row: number;
  phone?: string;
  ok: boolean;
  created?: boolean;
  /** Whether an express written consent event was added to the ledger for this row. */
  consentImported?: boolean;
  /** Why offered consent was not imported, or that it was already on record. */
  note?: string;
  /** The contact was kept but texts cannot reach it (a landline), and why. */
  smsImpossible?: string;
  error?: string;
};

export type ImportSummary = { rows: number; ok: number; failed: number; consentImported: number };

export const MAX_IMPORT_ROWS = 1000;
// Enough parallel writes to finish 1,000 rows well inside an API Gateway timeout, few enough
// not to burst past a table's provisioned or on-demand warm throughput.
const DEFAULT_CONCURRENCY = 8;

const REQUIRED_EVIDENCE = ['method', 'at', 'capturedBy', 'evidence'] as const;

/**
 * Imports contacts for an agent, each row on its own: a bad row fails alone and nothing of it
 * is stored. Importing contacts never imports consent (RULES §1): a row's consent is added to
 * the ledger only with full evidence (method, at, capturedBy, evidence) and a method that is
 * consent; otherwise the contact is stored with status `none` and the row says why.
 */
export async function importContacts(
  deps: Pick<Deps, 'clock' | 'stores' | 'lookup'>,
  agent: Agent,
  rows: readonly ImportRow[],
  opts: { concurrency?: number } = {},
): Promise<{ results: ImportRowResult[]; summary: ImportSummary }> {
  if (rows.length > MAX_IMPORT_ROWS) {
    throw invalidField('body.rows', `at most ${MAX_IMPORT_ROWS} rows per import`);
  }
  const now = deps.clock.now();
  const results = await mapBounded(rows, opts.concurrency ?? DEFAULT_CONCURRENCY, (row, index) =>
    importRow(deps, agent, row, index, now),
  );
  const summary: ImportSummary = {
    rows: results.length,
    ok: results.filter((result) => result.ok).length,
    failed: results.filter((result) => !result.ok).length,
    consentImported: results.filter((result) => result.consentImported === true).length,
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

async function importRow(
  deps: Pick<Deps, 'clock' | 'stores' | 'lookup'>,
  agent: Agent,
  row: ImportRow,
  index: number,
  now: Date,
): Promise<ImportRowResult> {
  if (!row.ok) return withPhone({ row: index, ok: false, error: row.error }, row.phone);
  // Non-US and toll-free numbers are refused per row, with the rule (RULES §3).
  const refusal = recipientNumberRefusal(row.phone);
  if (refusal !== undefined) return { row: index, phone: row.phone, ok: false, error: refusal };
  let plan: ConsentPlan;
  try {
    plan = planConsent(row.consent, now);
  } catch (error) {
    if (error instanceof DomainError)
      return { row: index, phone: row.phone, ok: false, error: error.message };
    throw error;
  }

  const at = now.toISOString();
  try {
    const lineType = await contactLineType(deps, row.phone);
    const fields = lineType === undefined ? row.fields : { ...row.fields, lineType };
    const { created } = await deps.stores.contacts.upsert(agent.agentId, row.phone, fields, at);
    const result: ImportRowResult = {
      row: index,
      phone: row.phone,
      ok: true,
      created,
      consentImported: false,
    };
    if (lineType?.sms === false) result.smsImpossible = lineType.reason ?? `line type ${lineType.type}`;
    if (plan.note !== undefined) result.note = plan.note;
    if (plan.evidence === undefined) return result;
    if (await alreadyRecorded(deps, agent.agentId, row.phone, plan.evidence)) {
      return { ...result, note: 'consent already on record; not added again' };
    }
    await deps.stores.ledger.append(
      {
        agentId: agent.agentId,
        phone: row.phone,
        channel: 'sms',
        type: 'express_written',
        ...plan.evidence,
        source: 'import',
      },
      at,
    );
    return { ...result, consentImported: true };
  } catch (error) {
    // One row's storage failure must not hide what happened to the others; the caller retries it.
    const reason = error instanceof Error ? error.name : 'error';
    return {
      row: index,
      phone: row.phone,
      ok: false,
      error: `could not store this row (${reason}); retry it`,
    };
  }
}

/** What to do with a row's consent: import it, or say why not. Invalid instants fail the row. */
function planConsent(consent: ImportedConsent | undefined, now: Date): ConsentPlan {
  if (consent === undefined) return {};
  if (consent.at !== undefined) checkEventInstant(consent.at, now, 'consent.at');
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
async function alreadyRecorded(
  deps: Pick<Deps, 'stores'>,
  agentId: string,
  phone: string,
  evidence: Evidence,
): Promise<boolean> {
  const ledger = await deps.stores.ledger.list(agentId, phone);
  return ledger.some(
    (record) =>
      record.type === 'express_written' &&
      record.channel === 'sms' &&
      Date.parse(record.at) === Date.parse(evidence.at) &&
      record.method === evidence.method &&
      record.evidence === evidence.evidence,
  );
}

function withPhone(result: ImportRowResult, phone: string | undefined): ImportRowResult {
  return phone === undefined ? result : { ...result, phone };
}
