import { zip3 } from '../../../lambdas/rules/postal-codes';
import { corrections } from '../../../lambdas/rules/generate/postal-codes';

const eastern = 'America/New_York';
const central = 'America/Chicago';
const mountain = 'America/Denver';
const pacific = 'America/Los_Angeles';

function lookup(zip: string) {
  return zip3.zips[zip] ?? zip3.prefixes[zip.slice(0, 3)];
}

describe('zip3', () => {
  it.each([
    ['10001', 'NY', [eastern]],
    ['60601', 'IL', [central]],
    ['33101', 'FL', [eastern]],
    ['32501', 'FL', [central]],
    ['79901', 'TX', [mountain]],
    ['85001', 'AZ', ['America/Phoenix']],
    ['57701', 'SD', [mountain]],
    ['96813', 'HI', ['Pacific/Honolulu']],
    ['00901', 'PR', ['America/Puerto_Rico']],
    ['00802', 'VI', ['America/St_Thomas']],
    ['96910', 'GU', ['Pacific/Guam']],
    ['96799', 'AS', ['Pacific/Pago_Pago']],
    ['96950', 'MP', ['Pacific/Saipan']],
    ['46402', 'IN', [central]],
    ['47708', 'IN', [central]],
  ])('places ZIP %s in %s on %j', (zip, state, zones) => {
    const location = lookup(zip);

    expect(location).toEqual({ states: [state], zones });
  });

  it.each([
    ['32401', [central, eastern]],
    ['97914', ['America/Boise', pacific]],
    ['89883', [mountain, pacific]],
    ['99546', ['America/Adak', 'America/Anchorage', 'America/Nome']],
    ['36867', [central, eastern]],
    ['79855', [central, mountain]],
    ['69101', [central, mountain]],
    ['67735', [central, mountain]],
  ])('lists every zone of split prefix of %s', (zip, zones) => {
    const location = lookup(zip);

    expect(location?.zones).toEqual(zones);
  });

  it('places nobody for ZIPs outside the US (APO, Palau, Marshall Islands)', () => {
    const found = ['09001', '96940', '96960'].map(lookup);

    expect(found.map((location) => location?.states ?? [])).toEqual([[], [], []]);
  });

  it('echoes every hand correction into the data and applies it', () => {
    const echoed = zip3.corrections.map(({ prefix, zones, reason }) => ({ prefix, zones, reason }));

    expect(echoed).toEqual(corrections);
    for (const { prefix, zones } of zip3.corrections) expect(zip3.prefixes[prefix]?.zones).toEqual(zones);
  });
});
