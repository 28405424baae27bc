/** CSV output (RFC 4180): CRLF line ends, fields quoted when they must be. */

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
// Spreadsheets run a cell that starts like a formula. Message bodies come from contacts, so an
// export opened in Excel must not execute them: such cells get a leading apostrophe, the
// spreadsheet convention for "text". Plain signed numbers (+12125550123, -1.5) are left alone;
// anything else after a sign (`-2+3+cmd|…`) is not. Spreadsheets with East Asian input also take
// the full-width forms (＝ ＋ － ＠) as formula starts.
const FORMULA_START = /^[=@\t\r+\-\uFF1D\uFF0B\uFF0D\uFF20]/;
const SIGNED_NUMBER = /^[+-][\d.]+$/;

/** One field as CSV text. */
export function csvField(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text) && !SIGNED_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvLine(values: ReadonlyArray<string | number | boolean | undefined | null>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
