import areaCodes from '../../../rules/data/area-codes.json';
import stateZones from '../../../rules/data/state-zones.json';
import zip3 from '../../../rules/data/zip3.json';
import { canonicalZone } from './zone-clock';

/**
 * Where a recipient may be, read by the checker from the raw location tables (area codes, ZIP
 * prefixes, state zones) with its own code: every signal's states and zones, united (RULES §3).
 */
export type Candidates = {
  states: string[];
  zones: string[];
  /** No signal placed the recipient in any state or zone. */
  unknown: boolean;
};

export type LocationSignals = { phone: string; state?: string; postalCode?: string; timeZone?: string };

type Entry = { states: readonly string[]; zones?: readonly string[] };

const byAreaCode = areaCodes.areaCodes as Readonly<Record<string, Entry>>;
const byZip = zip3.zips as Readonly<Record<string, Entry>>;
const byPrefix = zip3.prefixes as Readonly<Record<string, Entry>>;
const zonesOfState = stateZones.states as Readonly<Record<string, readonly string[]>>;

function areaCodeEntry(phone: string): Entry | undefined {
  const match = /^\+1([2-9]\d{2})[2-9]\d{6}$/.exec(phone);
  return match ? byAreaCode[match[1]!] : undefined;
}

function postalEntry(postalCode: string): Entry | undefined {
  const zip = /^(\d{5})/.exec(postalCode.trim())?.[1];
  return zip === undefined ? undefined : (byZip[zip] ?? byPrefix[zip.slice(0, 3)]);
}

/** Every candidate state and zone of a contact. */
export function candidatesFor(signals: LocationSignals): Candidates {
  const states = new Set<string>();
  const zones = new Set<string>();
  const add = (entry: Entry | undefined) => {
    if (entry === undefined) return;
    for (const state of entry.states) {
      states.add(state);
      if (entry.zones === undefined) for (const zone of zonesOfState[state] ?? []) zones.add(zone);
    }
    for (const zone of entry.zones ?? []) zones.add(zone);
  };
  add(areaCodeEntry(signals.phone));
  if (signals.postalCode !== undefined) add(postalEntry(signals.postalCode));
  if (signals.state !== undefined) {
    const state = signals.state.trim().toUpperCase();
    add({ states: [state], zones: zonesOfState[state] ?? [] });
  }
  const zone = signals.timeZone === undefined ? undefined : canonicalZone(signals.timeZone);
  if (zone !== undefined) zones.add(zone);
  return {
    states: [...states].sort(),
    zones: [...zones].sort(),
    unknown: states.size === 0 && zones.size === 0,
  };
}
