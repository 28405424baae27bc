import { areaCodes } from '../../../lambdas/rules/area-codes';
import { zip3 } from '../../../lambdas/rules/postal-codes';
import { stateZones } from '../../../lambdas/rules/state-zones';

describe('stateZones', () => {
  it.each([
    ['FL', ['America/Chicago', 'America/New_York']],
    ['TN', ['America/Chicago', 'America/New_York']],
    ['TX', ['America/Chicago', 'America/Denver']],
    ['AZ', ['America/Denver', 'America/Phoenix']],
    ['HI', ['Pacific/Honolulu']],
    ['NY', ['America/New_York']],
    ['CA', ['America/Los_Angeles']],
    ['PR', ['America/Puerto_Rico']],
  ])('gives %s the zones %j', (state, zones) => {
    const found = stateZones.states[state];

    expect(found).toEqual(zones);
  });

  it('gives Alaska both Alaska and Hawaii-Aleutian time', () => {
    const found = stateZones.states.AK;

    expect(found).toEqual(expect.arrayContaining(['America/Anchorage', 'America/Adak']));
  });

  it('covers every zone of every area code and ZIP prefix of the state', () => {
    const entries = [...Object.values(areaCodes.areaCodes), ...Object.values(zip3.prefixes)];

    const missing = entries.flatMap(({ states, zones }) =>
      states.flatMap((state) => (zones ?? []).filter((zone) => !stateZones.states[state]?.includes(zone))),
    );

    expect(missing).toEqual([]);
  });

  it('knows the 50 states, DC and the five inhabited territories', () => {
    const count = Object.keys(stateZones.states).length;

    expect(count).toBe(56);
  });
});
