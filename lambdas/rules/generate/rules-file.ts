/**
 * What the rules-data generators share: how a hand correction replaces a generated entry's zones,
 * and how a table is written so that a diff shows one entry per line.
 */

/** The distinct values, sorted. */
export const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** A generated entry: the USPS code(s) and, where known, the IANA zones. */
export type ZonedEntry = { states: string[]; zones?: string[] };

/**
 * Replaces the zones of each corrected entry of `table` (in place) by the correction's, canonical
 * and sorted; throws on a correction for an entry the table lacks, or one that no longer changes
 * anything, so the corrections stay exactly where the hand data diverges from the source.
 */
export function correctZones<C extends { zones: string[] }>(
  table: Record<string, ZonedEntry>,
  list: readonly C[],
  how: {
    key: (correction: C) => string;
    /** The entry's kind in a message, e.g. `area code`. */
    entry: string;
    /** The source the correction overrides, e.g. `the library`. */
    source: string;
    canonical: (zone: string) => string;
  },
): { correction: C; entry: ZonedEntry; zones: string[] }[] {
  return list.map((correction) => {
    const key = how.key(correction);
    const entry = table[key];
    if (entry === undefined) throw new Error(`correction for unknown ${how.entry} ${key}`);
    const zones = sorted(correction.zones.map(how.canonical));
    if (zones.join() === (entry.zones ?? []).join()) {
      throw new Error(`correction for ${how.entry} ${key} is stale: ${how.source} now agrees`);
    }
    table[key] = { states: entry.states, zones };
    return { correction, entry, zones };
  });
}

/**
 * The JSON of a rules file: `fields` first (an array one element per line), then each table one
 * entry per line, so the file stays reviewable in a diff.
 */
export function renderRulesFile(
  fields: Record<string, unknown>,
  tables: Record<string, Record<string, unknown>>,
): string {
  const head = Object.entries(fields).map(([key, value]) => {
    if (!Array.isArray(value)) return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    const rows = value.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
    return `  ${JSON.stringify(key)}: [\n${rows}\n  ]`;
  });
  const body = Object.entries(tables).map(([key, table]) => {
    const rows = Object.entries(table).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return `  ${JSON.stringify(key)}: {\n${rows.join(',\n')}\n  }`;
  });
  return `{\n${[...head, ...body].join(',\n')}\n}\n`;
}
