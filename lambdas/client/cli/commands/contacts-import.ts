import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { ImportRowInput } from '../../types';
import type { CliContext } from '../context';
import { readCsv } from '../csv-parse';
import { csvLine } from '../csv-write';
import { importColumns, type ImportColumn } from '../import-columns';
import { EXIT, UsageError, write } from '../io';
import { progressOn } from '../progress';

/** The API takes at most 1,000 rows per import. */
export const IMPORT_BATCH_ROWS = 1000;
// The API refuses bodies over 256 KiB: a batch of long rows (notes, evidence) is sent early.
const IMPORT_BATCH_BYTES = 200_000;

type PendingRow = { row: number; line: number; phone: string; input: ImportRowInput };
type Tally = { rows: number; ok: number; failed: number; consentImported: number; notes: number };

/**
 * `contacts import <csv>`: streams the file, sends rows in batches of at most 1,000, and
 * reports every row that failed (by row number from 1 after the header, and file line) or
 * whose consent was not imported. Returns exit code 1 when any row failed.
 */
export async function importContactsCsv(
  ctx: CliContext,
  path: string,
  opts: { report?: string },
): Promise<number> {
  const size = await fileSize(path);
  const client = ctx.client();
  const report = opts.report === undefined ? ctx.io.stdout : createWriteStream(opts.report, { flags: 'w' });
  const progress = progressOn(ctx.io.stderr);
  const tally: Tally = { rows: 0, ok: 0, failed: 0, consentImported: 0, notes: 0 };
  let bytesRead = 0;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(path)) {
      bytesRead += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  };

  const reportRow = (row: number, line: number, phone: string, result: 'failed' | 'note', reason: string) =>
    write(report, csvLine([row, line, phone, result, reason]));

  let pending: PendingRow[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    const { results } = await client.imports.create(batch.map((row) => row.input));
    for (const [index, result] of results.entries()) {
      const row = batch[index] as PendingRow;
      if (!result.ok) {
        tally.failed += 1;
        await reportRow(row.row, row.line, row.phone, 'failed', result.error ?? 'failed');
        continue;
      }
      tally.ok += 1;
      if (result.consentImported) tally.consentImported += 1;
      if (result.note !== undefined) {
        tally.notes += 1;
        await reportRow(row.row, row.line, row.phone, 'note', result.note);
      }
    }
    progress.update(
      `${tally.rows} rows read, ${tally.ok} imported, ${tally.failed} failed`,
      bytesRead / size,
    );
  };

  await write(report, csvLine(['row', 'line', 'phone', 'result', 'reason']));
  let columns: ImportColumn[] | undefined;
  try {
    for await (const record of readCsv(counted())) {
      if (columns === undefined) {
        if (record.error !== undefined)
          throw new UsageError(`${path}: the header row cannot be read: ${record.error}`);
        columns = importColumns(record.fields, path);
        continue;
      }
      tally.rows += 1;
      const row = tally.rows;
      const built = record.error === undefined ? buildRow(columns, record.fields) : { problem: record.error };
      if ('problem' in built) {
        tally.failed += 1;
        await reportRow(row, record.line, phoneCell(columns, record.fields), 'failed', built.problem);
        continue;
      }
      const bytes = Buffer.byteLength(JSON.stringify(built.input));
      if (pending.length === IMPORT_BATCH_ROWS || pendingBytes + bytes > IMPORT_BATCH_BYTES) await flush();
      pending.push({ row, line: record.line, phone: built.phone, input: built.input });
      pendingBytes += bytes;
    }
    await flush();
  } catch (error) {
    progress.done(`import stopped after ${tally.rows} rows: ${tally.ok} imported, ${tally.failed} failed`);
    throw error;
  } finally {
    if (report !== ctx.io.stdout) {
      (report as NodeJS.WritableStream).end();
      await finished(report as NodeJS.WritableStream);
    }
  }
  if (columns === undefined) throw new UsageError(`${path}: the file is empty; expected a header row`);
  progress.done(
    `imported ${tally.ok} of ${tally.rows} rows: ${tally.failed} failed, ${tally.consentImported} with consent, ` +
      `${tally.notes} with notes${opts.report === undefined ? '' : ` (report: ${opts.report})`}`,
  );
  return tally.failed > 0 ? EXIT.failed : EXIT.ok;
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

function phoneCell(columns: ImportColumn[], fields: string[]): string {
  const index = columns.findIndex((column) => !column.consent && column.field === 'phone');
  return index < 0 ? '' : (fields[index] ?? '').trim();
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path} is not a file`);
    return Math.max(1, info.size);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`cannot read ${path}: ${code}`);
  }
}
