import { areaCodes, isIanaZone } from '../rules/area-codes';
import { zip3 } from '../rules/postal-codes';
import { quietHours } from '../rules/quiet-hours';
import { stateZones } from '../rules/state-zones';
import type { LocationSignals, RecipientLocation } from './types';

type Candidates = { readonly states: readonly string[]; readonly zones?: readonly string[] };

const byAreaCode: ReadonlyMap<string, Candidates> = new Map(Object.entries(areaCodes.areaCodes));
const byZipPrefix: ReadonlyMap<string, Candidates> = new Map(Object.entries(zip3.prefixes));
const byZip: ReadonlyMap<string, Candidates> = new Map(Object.entries(zip3.zips));
const zonesByState: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(stateZones.states));

/** The location-table versions a receipt must quote next to the window it computed. */
export const locationRulesVersions: readonly string[] = [areaCodes.version, zip3.version, stateZones.version];
export const locationRulesVersion = locationRulesVersions.join(' ');

/** Explicit zones seen so far, by lower-cased input; bounded because only valid names are kept. */
const zoneNames = new Map<string, string>();

/** Intl's name for a contact's zone (case and legacy aliases such as US/Eastern resolved), or undefined. */
function ianaZoneOf(timeZone: string): string | undefined {
  const key = timeZone.trim().toLowerCase();
  const known = zoneNames.get(key);
  if (known !== undefined) return known;
  // Offsets ("-05:00") are not places: they carry no DST rule.
  if (!/^[a-z]/.test(key) || !isIanaZone(key)) return undefined;
  const name = new Intl.DateTimeFormat('en-US', { timeZone: key }).resolvedOptions().timeZone;
  zoneNames.set(key, name);
  return name;
}

// NANP: +1, area code [2-9]XX, exchange [2-9]XX, four digits. Phones reach the core as E.164
// (intake normalises them with libphonenumber); the core needs only the area code, so it reads
// it directly instead of carrying a second copy of libphonenumber's metadata into every bundle.
const nanpNumber = /^(?:\+1|1)?([2-9]\d{2})[2-9]\d{6}$/;

/** The phone's NANP area code, or '' when it is not a NANP number. */
function areaCodeOf(phone: string): string {
  if (isPlainNanpE164(phone)) return phone.slice(2, 5);
  return nanpNumber.exec(phone.replace(/[\s().-]/g, ''))?.[1] ?? '';
}

/** `+1` and ten digits that `nanpNumber` takes as they are: how nearly every phone arrives. */
function isPlainNanpE164(phone: string): boolean {
  if (phone.length !== 12 || phone.charCodeAt(0) !== 0x2b || phone.charCodeAt(1) !== 0x31) return false;
  for (let i = 2; i < 12; i++) {
    const code = phone.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  // Area code and exchange both start with 2–9.
  return phone.charCodeAt(2) >= 0x32 && phone.charCodeAt(5) >= 0x32;
}

function postalCodeOf(postalCode: string): Candidates | undefined {
  const zip = /^(\d{5})(?:-?\d{4})?$/.exec(postalCode.trim())?.[1];
  if (zip === undefined) return undefined;
  return byZip.get(zip) ?? byZipPrefix.get(zip.slice(0, 3));
}

function stateOf(state: string): Candidates | undefined {
  const code = state.trim().toUpperCase();
  const zones = zonesByState.get(code);
  return zones === undefined ? undefined : { states: [code], zones };
}

/**
 * Every state and IANA zone the recipient may be in (RULES §3): the candidates of each signal, united.
 * The explicit time zone, the contact's state (with all its zones), the ZIP (5-digit or ZIP+4) and the
 * phone's US area code each contribute; a signal that is missing, malformed or outside the US adds
 * nothing. A state without a zone gets its state's zones; no state and no zone is the unknown default.
 *
 * @example locateRecipient({ phone: '+12125550123', state: 'CA' })
 * // → { states: ['CA', 'NY'], zones: ['America/Los_Angeles', 'America/New_York'] }
 */
export function locateRecipient(signals: LocationSignals): RecipientLocation {
  const areaCode = areaCodeOf(signals.phone);
  const key = locationKey(signals, areaCode);
  if (key === undefined) return locate(signals, areaCode);
  let location = located.get(key);
  if (location === undefined) {
    if (located.size >= MAX_LOCATED) located.clear();
    location = locate(signals, areaCode);
    located.set(key, location);
  }
  return location;
}

// Recipients of one place share a location: the gate locates on every call, and the union of
// the signals' candidates is most of what that costs. Keyed by the signals the location reads
// (the phone only through its area code). Callers never mutate a location.
const located = new Map<string, RecipientLocation>();
const MAX_LOCATED = 20_000;
const NONE = '\u0001';
const SEPARATOR = '\u0000';

function locationKey(signals: LocationSignals, areaCode: string): string | undefined {
  const timeZone = signals.timeZone ?? NONE;
  const state = signals.state ?? NONE;
  const postalCode = signals.postalCode ?? NONE;
  if (timeZone.includes(SEPARATOR) || state.includes(SEPARATOR) || postalCode.includes(SEPARATOR))
    return undefined;
  return `${timeZone}${SEPARATOR}${state}${SEPARATOR}${postalCode}${SEPARATOR}${areaCode}`;
}

function locate(signals: LocationSignals, areaCode: string): RecipientLocation {
  const explicitZone = signals.timeZone === undefined ? undefined : ianaZoneOf(signals.timeZone);
  const found = [
    explicitZone === undefined ? undefined : { states: [], zones: [explicitZone] },
    signals.state === undefined ? undefined : stateOf(signals.state),
    signals.postalCode === undefined ? undefined : postalCodeOf(signals.postalCode),
    areaCode === '' ? undefined : byAreaCode.get(areaCode),
  ].filter((candidates): candidates is Candidates => candidates !== undefined);

  const states = new Set(found.flatMap((candidates) => candidates.states));
  const zones = new Set(
    found.flatMap(
      (candidates) => candidates.zones ?? candidates.states.flatMap((s) => zonesByState.get(s) ?? []),
    ),
  );
  if (states.size === 0 && zones.size === 0) {
    return { states: [], zones: [...quietHours.unknown.zones].sort() };
  }
  return { states: [...states].sort(), zones: [...zones].sort() };
}
