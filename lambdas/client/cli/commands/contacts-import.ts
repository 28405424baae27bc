import { readFile, stat, writeFile } from 'node:fs/promises';
import type { ImportResult, ImportRowInput } from '../../types';
import type { CliContext } from '../context';
import { readCsvRecords, type CsvRecord } from '../csv-records';
import { csvLine } from '../csv-write';
import { importColumns, parseHeaderMap, renameHeader, type ImportColumn } from '../import-columns';
import { EXIT, UsageError, write } from '../io';
import { progressOn } from '../progress';

/** The API takes at most 1,000 rows per import. */
export const IMPORT_BATCH_ROWS = 1000;
// The API refuses bodies over 256 KiB: a batch of long rows (notes, evidence) is sent early.
const IMPORT_BATCH_BYTES = 200_000;

/** The per-row report's columns; one line per data row of the file, in file order. */
export const REPORT_HEADER = ['row', 'line', 'phone', 'result', 'consent', 'reason'] as const;

type ReportLine = {
  row: number;
  line: number;
  phone: string;
  result: string;
  consent: string;
  reason: string;
};
type PendingRow = { row: number; line: number; phone: string; input: ImportRowInput };
type Tally = {
  rows: number;
  imported: number;
  failed: number;
  refused: number;
  duplicates: number;
  consentImported: number;
  notes: number;
};

/**
 * `contacts import <csv>`: reads the file, sends rows in batches of at most 1,000, and writes a
 * report of every row in file order (row number from 1 after the header, the file line it
 * starts on, the phone, what became of it, its consent, and why): `created`, `updated`,
 * `failed`, `refused` (a number that may not be a contact), `duplicate` (another row of the file
 * had the same number; the reason names the row taken and why). `--map "First Name=name"`
 * renames the file's headers to known columns. Returns exit code 1 when any row failed or was
 * refused.
 */
export async function importContactsCsv(
  ctx: CliContext,
  path: string,
  opts: { report?: string; map?: string },
): Promise<number> {
  const renames = opts.map === undefined ? undefined : parseHeaderMap(opts.map);
  const records = readCsvRecords(await readText(path));
  const [header, ...data] = records;
  if (header === undefined) throw new UsageError(`${path}: the file is empty; expected a header row`);
  if (header.error !== undefined)
    throw new UsageError(`${path}: the header row cannot be read: ${header.error}`);
  const columns = importColumns(renameHeader(header.fields, renames, path), path);

  const client = ctx.client();
  const progress = progressOn(ctx.io.stderr);
  const tally: Tally = {
    rows: 0,
    imported: 0,
    failed: 0,
    refused: 0,
    duplicates: 0,
    consentImported: 0,
    notes: 0,
  };
  const lines: ReportLine[] = [];
  // Numbers taken by an earlier batch, by E.164: a later batch's row of one is a later update.
  const taken = new Map<string, number>();

  let pending: PendingRow[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    const { results } = await client.imports.create(batch.map((row) => row.input));
    results.forEach((result, index) => {
      const row = batch[index] as PendingRow;
      const line = reportLine(row, result, batch, taken);
      lines[row.row - 1] = line;
      count(tally, result);
      if (result.ok && result.phone !== undefined && !taken.has(result.phone))
        taken.set(result.phone, row.row);
    });
    progress.update(
      `${tally.rows} rows read, ${tally.imported} imported, ${tally.failed + tally.refused} failed`,
      tally.rows / Math.max(1, data.length),
    );
  };

  try {
    for (const record of data) {
      tally.rows += 1;
      const row = tally.rows;
      const built = record.error === undefined ? buildRow(columns, record.fields) : { problem: record.error };
      if ('problem' in built) {
        tally.failed += 1;
        lines[row - 1] = {
          row,
          line: record.line,
          phone: phoneCell(columns, record),
          result: 'failed',
          consent: '',
          reason: built.problem,
        };
        continue;
      }
      const bytes = Buffer.byteLength(JSON.stringify(built.input));
      if (pending.length === IMPORT_BATCH_ROWS || pendingBytes + bytes > IMPORT_BATCH_BYTES) await flush();
      pending.push({ row, line: record.line, phone: built.phone, input: built.input });
      pendingBytes += bytes;
    }
    await flush();
  } catch (error) {
    progress.done(
      `import stopped after ${tally.rows} rows: ${tally.imported} imported, ${tally.failed} failed`,
    );
    throw error;
  }

  const report = [csvLine([...REPORT_HEADER]), ...lines.map((line) => csvLine(Object.values(line)))].join('');
  if (opts.report === undefined) await write(ctx.io.stdout, report);
  else await writeFile(opts.report, report);
  progress.done(
    `imported ${tally.imported} of ${tally.rows} rows: ${tally.failed} failed, ${tally.refused} refused, ` +
      `${tally.duplicates} duplicate(s), ${tally.consentImported} with consent, ${tally.notes} with notes` +
      `${opts.report === undefined ? '' : ` (report: ${opts.report})`}`,
  );
  return tally.failed + tally.refused > 0 ? EXIT.failed : EXIT.ok;
}

type RowResult = ImportResult['results'][number];

/** What the report says of one row the API answered. */
function reportLine(
  row: PendingRow,
  result: RowResult,
  batch: readonly PendingRow[],
  taken: ReadonlyMap<string, number>,
): ReportLine {
  const phone = result.phone ?? row.phone;
  const base = { row: row.row, line: row.line, phone, result: result.result };
  if (result.result === 'duplicate') {
    const winner = result.duplicateOf === undefined ? undefined : batch[result.duplicateOf];
    const where = winner === undefined ? 'another row' : `row ${winner.row} (line ${winner.line})`;
    return {
      ...base,
      consent: row.input.consent === undefined ? '' : 'not imported',
      reason: `same number as ${where}, which was taken because ${result.duplicateReason ?? 'it came later'}; nothing of this row was stored`,
    };
  }
  if (!result.ok) return { ...base, consent: '', reason: result.error ?? 'failed' };
  const reasons: string[] = [];
  const earlier = taken.get(phone);
  if (earlier !== undefined)
    reasons.push(`same number as row ${earlier} (an earlier batch); this later row updated it`);
  if (result.smsImpossible !== undefined)
    reasons.push(`kept, but texts cannot reach it: ${result.smsImpossible}`);
  if (result.note !== undefined) reasons.push(result.note);
  const consent = result.consentImported
    ? 'imported'
    : result.note === 'consent already on record; not added again'
      ? 'already on record'
      : row.input.consent === undefined
        ? ''
        : 'not imported';
  return { ...base, consent, reason: reasons.join('; ') };
}

function count(tally: Tally, result: RowResult): void {
  if (result.result === 'refused') tally.refused += 1;
  else if (result.result === 'duplicate') tally.duplicates += 1;
  else if (!result.ok) tally.failed += 1;
  else tally.imported += 1;
  if (result.consentImported) tally.consentImported += 1;
  if (result.ok && result.note !== undefined) tally.notes += 1;
}

/** A CSV record as an import row, or why it cannot be one. Empty cells are left out. */
function buildRow(
  columns: ImportColumn[],
  fields: string[],
): { phone: string; input: ImportRowInput } | { problem: string } {
  if (fields.length !== columns.length) {
    return { problem: `has ${fields.length} field(s); the header has ${columns.length}` };
  }
  const input: Record<string, unknown> = {};
  const consent: Record<string, string> = {};
  columns.forEach((column, index) => {
    const value = (fields[index] as string).trim();
    if (value === '') return;
    if (column.consent) consent[column.field] = value;
    else input[column.field] = value;
  });
  if (input.phone === undefined) return { problem: 'phone is empty' };
  if (Object.keys(consent).length > 0) input.consent = consent;
  return { phone: input.phone as string, input: input as ImportRowInput };
}

function phoneCell(columns: ImportColumn[], record: CsvRecord): string {
  const index = columns.findIndex((column) => !column.consent && column.field === 'phone');
  return index < 0 ? '' : (record.fields[index] ?? '').trim();
}

async function readText(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path} is not a file`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`cannot read ${path}: ${code}`);
  }
}
