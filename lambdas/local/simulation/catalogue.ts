import { isValidPhoneNumber } from 'libphonenumber-js/min';
import areaCodes from '../../rules/data/area-codes.json';
import zip3 from '../../rules/data/zip3.json';
import type { SeededRandom } from './prng';

/**
 * Where synthetic contacts live: every state and territory of the area-code table, its
 * split-zone area codes (208, 605, 850, 928…), ZIP prefixes per state, and a few Canadian area
 * codes the tables do not know (unknown location).
 */
type Entry = { states: readonly string[]; zones: readonly string[] };
const table = areaCodes.areaCodes as Readonly<Record<string, Entry>>;

export const areaCodesByState: ReadonlyMap<string, string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [code, entry] of Object.entries(table)) {
    for (const state of entry.states) map.set(state, [...(map.get(state) ?? []), code]);
  }
  return map;
})();

export const states: readonly string[] = [...areaCodesByState.keys()].sort();

/** Area codes whose numbers may be in more than one zone. */
export const splitZoneAreaCodes: readonly string[] = Object.entries(table)
  .filter(([, entry]) => entry.zones.length > 1)
  .map(([code]) => code)
  .sort();

const prefixesByState: ReadonlyMap<string, string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [prefix, entry] of Object.entries(zip3.prefixes as Record<string, { states: string[] }>)) {
    for (const state of entry.states) map.set(state, [...(map.get(state) ?? []), prefix]);
  }
  return map;
})();

/** The first state and zones an area code places a number in. */
export function areaCodeEntry(code: string): Entry | undefined {
  return table[code];
}

/** A ZIP code in `state`, when the ZIP table has one. */
export function zipIn(random: SeededRandom, state: string): string | undefined {
  const prefixes = prefixesByState.get(state);
  return prefixes === undefined
    ? undefined
    : `${random.pick(prefixes)}${String(random.int(1, 99)).padStart(2, '0')}`;
}

/**
 * A valid number (as intake validates it) in `areaCode` that `taken` does not hold yet; it is
 * added to `taken`.
 */
export function newPhone(random: SeededRandom, areaCode: string, taken: Set<string>): string {
  for (;;) {
    const exchange = random.int(201, 999);
    // N11 exchanges are service codes, never subscriber numbers.
    if (exchange % 100 === 11) continue;
    const phone = `+1${areaCode}${exchange}${String(random.int(0, 9999)).padStart(4, '0')}`;
    if (taken.has(phone) || !isValidPhoneNumber(phone)) continue;
    taken.add(phone);
    return phone;
  }
}
