import { UsageError } from './io';

/** Where a CSV column goes in an import row: a contact field, or a field of the row's consent evidence. */
export type ImportColumn = { field: string; consent: boolean };

// Header names are matched case-, space-, dash- and underscore-insensitively: "Closing Date",
// "closing_date" and "closingDate" are the same column.
const CONTACT_COLUMNS: Record<string, string> = {
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  name: 'name',
  fullname: 'name',
  state: 'state',
  zip: 'postalCode',
  zipcode: 'postalCode',
  postalcode: 'postalCode',
  tz: 'timeZone',
  timezone: 'timeZone',
  closingdate: 'closingDate',
  address: 'address',
  notes: 'notes',
};

const CONSENT_COLUMNS: Record<string, string> = {
  consentmethod: 'method',
  consentat: 'at',
  consentcapturedby: 'capturedBy',
  consentevidence: 'evidence',
  consenttextversion: 'consentTextVersion',
};

/** How header names are compared: case, spaces, dashes and underscores do not matter. */
function headerKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/**
 * `--map "First Name=name,Cell=phone"`: the file's header (left) each known column (right)
 * stands for. A pair without `=`, an empty side or a header mapped twice is a usage error.
 */
export function parseHeaderMap(map: string): Map<string, string> {
  const renames = new Map<string, string>();
  for (const pair of map.split(',')) {
    const [from, to, extra] = pair.split('=').map((part) => part.trim());
    if (from === undefined || from === '' || to === undefined || to === '' || extra !== undefined) {
      throw new UsageError(
        `--map: "${pair.trim()}" is not "File header=column"; e.g. --map "First Name=name,Cell=phone"`,
      );
    }
    if (renames.has(headerKey(from))) throw new UsageError(`--map: header "${from}" is mapped twice`);
    renames.set(headerKey(from), to);
  }
  return renames;
}

/** The header with `--map` applied; a mapped header the file does not have is a usage error. */
export function renameHeader(
  header: string[],
  renames: ReadonlyMap<string, string> | undefined,
  file: string,
): string[] {
  if (renames === undefined) return header;
  const present = new Set(header.map(headerKey));
  for (const from of renames.keys()) {
    if (!present.has(from)) {
      throw new UsageError(
        `${file}: --map names a header the file does not have (${from}); its headers: ${header.join(', ')}`,
      );
    }
  }
  return header.map((name) => renames.get(headerKey(name)) ?? name);
}

/**
 * The columns of an import file from its header row. An unknown or repeated column is a usage
 * error naming it (a typo would otherwise drop a field from every row), and so is a file
 * without a phone column.
 */
export function importColumns(header: string[], file: string): ImportColumn[] {
  const seen = new Set<string>();
  const columns = header.map((name, index): ImportColumn => {
    const key = headerKey(name);
    const contactField = Object.hasOwn(CONTACT_COLUMNS, key) ? CONTACT_COLUMNS[key] : undefined;
    const consentField = Object.hasOwn(CONSENT_COLUMNS, key) ? CONSENT_COLUMNS[key] : undefined;
    const column =
      contactField !== undefined
        ? { field: contactField, consent: false }
        : consentField !== undefined
          ? { field: consentField, consent: true }
          : undefined;
    if (column === undefined) {
      throw new UsageError(
        `${file}: column ${index + 1} "${name}" is not a known column; known: phone, name, state, zip, tz, ` +
          'closing_date, address, notes, consent_method, consent_at, consent_captured_by, consent_evidence, ' +
          'consent_text_version',
      );
    }
    const id = `${column.consent ? 'consent.' : ''}${column.field}`;
    if (seen.has(id)) throw new UsageError(`${file}: column "${name}" appears twice`);
    seen.add(id);
    return column;
  });
  if (!seen.has('phone')) throw new UsageError(`${file}: the header has no phone column`);
  return columns;
}
