/**
 * Bulk contact import. Each row is validated on its own so one bad row fails alone.
 */
import { importContacts, type ImportRow } from '../../usecases/import-contacts';
import { consentReads } from '../route';
import { describeIssue } from './middleware';
import { defineRoute, ok } from './route';
import { importBody, importBodyDocumented, importConsent, importResponse, importRow } from './schemas';

/** `POST /v1/imports` → 200 `{results: [{row, phone, ok, error?, …}], summary}`. */
export const importContactsRoute = /* @__PURE__ */ defineRoute({
  key: 'imports.create',
  route: 'POST /v1/imports',
  summary: 'Import up to 1,000 contacts; consent only with full per-row evidence',
  options: { auth: 'agent', body: importBody },
  // Each row is checked on its own (so a bad row fails alone): documented with the rows' own shape.
  fullBody: importBodyDocumented,
  responses: { 200: { description: 'per-row results', schema: importResponse } },
  access: { reads: consentReads, writes: ['contacts', 'ledger', 'counters', 'numbers'], secrets: ['twilio'] },
  handle: async (deps, { caller, body }) =>
    ok(await importContacts(deps, caller.agent, body.rows.map(parseRow))),
});

/**
 * A row's own validation: its failure message names the field, like a request's would. The
 * consent evidence is read apart: evidence that cannot be read drops the consent, not the row.
 */
function parseRow(raw: unknown): ImportRow {
  const offered = typeof raw === 'object' && raw !== null && 'consent' in raw ? raw.consent : undefined;
  const contactPart = typeof raw === 'object' && raw !== null ? { ...raw, consent: undefined } : raw;
  const result = importRow.safeParse(contactPart);
  if (!result.success) {
    const problems = result.error.issues
      .flatMap((issue) => describeIssue('row', issue))
      .map((issue) => `${issue.path}: ${issue.message}`);
    const phone = rawPhone(raw);
    const failure: ImportRow = { ok: false, error: problems.join('; ') };
    return phone === undefined ? failure : { ...failure, phone };
  }
  const { phone, consent: _none, ...fields } = result.data;
  if (offered === undefined) return { ok: true, phone, fields };
  const consent = importConsent.safeParse(offered);
  if (consent.success) return { ok: true, phone, fields, consent: consent.data };
  const consentProblem = consent.error.issues
    .flatMap((issue) => describeIssue('row.consent', issue))
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  return { ok: true, phone, fields, consentProblem };
}

/** The phone as the caller wrote it, echoed in a failed row's result so it can be found. */
function rawPhone(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('phone' in raw)) return undefined;
  return typeof raw.phone === 'string' ? raw.phone.slice(0, 40) : undefined;
}
