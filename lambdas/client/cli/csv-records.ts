import { parse, type CsvError } from 'csv-parse/sync';

/** One record of a CSV file: its fields, or why it could not be read. `line` is where it starts, from 1. */
export type CsvRecord = { line: number; fields: string[]; error?: string };

/** Longer than any row the API accepts by far: past it, a quote was most likely never closed. */
export const MAX_RECORD_CHARS = 65_536;

/**
 * Every record of a CSV text, in file order, read by `csv-parse` (RFC 4180: quoted fields may
 * hold commas, doubled quotes and line breaks; CRLF or LF; a leading BOM is dropped; blank
 * lines are not records). A quote inside a field is kept as written (`O"Brien`, `"Smith" Jr`),
 * as spreadsheets export them. A record that cannot be read is kept in its place with the reason
 * and its line, and reading goes on where the parser can; a quote that is never closed swallows
 * the rest of the file, which the last record then says.
 *
 * @example readCsvRecords('phone,name\n+12125550123,"Lee, Ana"\n')[1] // { line: 2, fields: ['+12125550123', 'Lee, Ana'] }
 */
export function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let lastLine = 0;
  parse(text, {
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: string[], context) => {
      const end = context.lines;
      // A record ends on `end`; its own line breaks (inside quoted fields) say where it began.
      const breaks = record.reduce((count, field) => count + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      records.push({ line: end - breaks, fields: record });
      lastLine = end;
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      const line = lastLine + 1;
      records.push({ line, fields: [], error: `line ${line}: ${describe(error)}` });
    },
  });
  return records;
}

function describe(error: CsvError | undefined): string {
  switch (error?.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field opened here is never closed; the rest of the file could not be read';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${MAX_RECORD_CHARS} characters (a quote never closed?); the rest of the file could not be read`;
    default:
      return error?.message ?? 'the row cannot be read';
  }
}
