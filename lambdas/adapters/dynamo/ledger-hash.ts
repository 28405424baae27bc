import { createHash } from 'node:crypto';

/** The `prevHash` of a chain's first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

/**
 * JSON with object keys sorted at every depth, no whitespace, `undefined` members dropped: the
 * same record always serialises to the same bytes, whatever order its fields were built in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value as Json));
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties, so even a `__proto__` key is kept as data.
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/**
 * The hash of a ledger event: sha256 (hex) of the previous event's hash followed by the
 * canonical JSON of every field of the event except `prevHash` and `hash` themselves. Linking
 * each event to its predecessor makes an edited, removed or reordered event detectable (RULES §6).
 */
export function chainHash(prevHash: string, event: Record<string, unknown>): string {
  const { prevHash: _prevHash, hash: _hash, ...fields } = event;
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}
