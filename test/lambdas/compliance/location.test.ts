import fc from 'fast-check';
import {
  locateRecipient,
  locationRulesVersion,
  locationRulesVersions,
} from '../../../lambdas/compliance/location';
import { areaCodes } from '../../../lambdas/rules/area-codes';
import { SPLIT_AREA_CODES } from '../rules/split-area-codes';

const eastern = 'America/New_York';
const central = 'America/Chicago';
const mountain = 'America/Denver';
const pacific = 'America/Los_Angeles';
const phoenix = 'America/Phoenix';
/** RULES §3: unknown location → Eastern ∩ Pacific. */
const unknown = { states: [], zones: [pacific, eastern] };

describe('locateRecipient', () => {
  it.each(SPLIT_AREA_CODES)('places a %s phone in every zone its area code spans', (code, states, zones) => {
    const signals = { phone: `+1${code}5550123` };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states, zones });
  });

  it.each([
    ['+12125550123', 'NY', eastern],
    ['+13055550123', 'FL', eastern],
    ['+13125550123', 'IL', central],
    ['+16025550123', 'AZ', phoenix],
    ['(212) 555-0123', 'NY', eastern],
  ])('places %s in one state and zone', (phone, state, zone) => {
    const location = locateRecipient({ phone });

    expect(location).toEqual({ states: [state], zones: [zone] });
  });

  it('unites disagreeing signals: a 212 phone with state CA is New York or California', () => {
    const signals = { phone: '+12125550123', state: 'CA' };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states: ['CA', 'NY'], zones: [pacific, eastern] });
  });

  it('reads the state case-insensitively and adds every zone of that state', () => {
    const signals = { phone: '+12125550123', state: ' fl ' };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states: ['FL', 'NY'], zones: [central, eastern] });
  });

  it('adds an explicit time zone to the area code', () => {
    const signals = { phone: '+12125550123', timeZone: 'America/Chicago' };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states: ['NY'], zones: [central, eastern] });
  });

  it('keeps states empty when only a time zone is known', () => {
    const signals = { phone: '+447700900123', timeZone: 'america/denver' };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states: [], zones: [mountain] });
  });

  it('ignores an invalid or offset time zone instead of throwing', () => {
    const located = ['Mars/Olympus_Mons', '-05:00', ''].map((timeZone) =>
      locateRecipient({ phone: '+13125550123', timeZone }),
    );

    expect(located).toEqual([0, 1, 2].map(() => ({ states: ['IL'], zones: [central] })));
  });

  it.each([
    ['32501', 'Pensacola'],
    ['32501-1234', 'Pensacola, ZIP+4'],
    ['325011234', 'Pensacola, ZIP+4 without dash'],
  ])('adds the ZIP %s (%s)', (postalCode) => {
    const signals = { phone: '+13055550123', postalCode };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states: ['FL'], zones: [central, eastern] });
  });

  it('locates by ZIP alone when the phone is not a US number', () => {
    const signals = { phone: '+447700900123', postalCode: '79901' };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states: ['TX'], zones: [mountain] });
  });

  it('uses a 5-digit exception over its prefix (96799 is American Samoa, not Hawaii)', () => {
    const signals = { phone: '+447700900123', postalCode: '96799' };

    const location = locateRecipient(signals);

    expect(location).toEqual({ states: ['AS'], zones: ['Pacific/Pago_Pago'] });
  });

  it.each([
    ['+447700900123', 'a UK mobile'],
    ['+18005550123', 'toll-free 800'],
    ['+18885550123', 'toll-free 888'],
    ['+14165550123', 'Toronto'],
    ['+18765550123', 'Jamaica'],
    ['not a phone', 'garbage'],
    ['+1212', 'a truncated number'],
  ])('falls back to the unknown default for %s (%s)', (phone) => {
    const location = locateRecipient({ phone });

    expect(location).toEqual(unknown);
  });

  it('ignores unusable state and postal code signals', () => {
    const signals = {
      phone: '+18005550123',
      state: 'Ontario',
      postalCode: 'K1A 0B1',
      timeZone: 'Nowhere/Land',
    };

    const location = locateRecipient(signals);

    expect(location).toEqual(unknown);
  });

  it('places a Guam number on Guam time, far from the continental default', () => {
    const location = locateRecipient({ phone: '+16715550123' });

    expect(location).toEqual({ states: ['GU'], zones: ['Pacific/Guam'] });
  });

  it('never loses the area code: states and zones include its own, whatever else is known', () => {
    const table = areaCodes.areaCodes;
    const phone = fc
      .tuple(fc.constantFrom(...Object.keys(table)), fc.integer({ min: 2_000_000, max: 9_999_999 }))
      .map(([code, subscriber]) => ({ code, phone: `+1${code}${subscriber}` }));
    const state = fc.option(fc.constantFrom('CA', 'fl', 'TX', 'ak', 'PR', 'ZZ', '', 'New York'), {
      nil: undefined,
    });
    const postalCode = fc.option(
      fc.oneof(fc.stringMatching(/^\d{5}(-\d{4})?$/), fc.constantFrom('96799', '00901', 'ABCDE')),
      { nil: undefined },
    );
    const timeZone = fc.option(
      fc.constantFrom(eastern, 'Pacific/Guam', 'Europe/London', 'Bad/Zone', '+03:00'),
      {
        nil: undefined,
      },
    );

    fc.assert(
      fc.property(phone, state, postalCode, timeZone, ({ code, phone }, state, postalCode, timeZone) => {
        const location = locateRecipient({ phone, state, postalCode, timeZone });

        const own = table[code]!;
        expect(location.states).toEqual(expect.arrayContaining(own.states));
        expect(location.zones).toEqual(expect.arrayContaining(own.zones));
        expect(location.states).toEqual([...new Set(location.states)].sort());
        expect(location.zones).toEqual([...new Set(location.zones)].sort());
      }),
    );
  });
});

describe('locationRulesVersion', () => {
  it('names the versions of the area-code, ZIP and state-zone tables', () => {
    const versions = locationRulesVersion.split(' ');

    expect(versions).toEqual(locationRulesVersions);
    expect(versions.map((version) => version.split('/')[0])).toEqual(['area-codes', 'zip3', 'state-zones']);
  });
});
