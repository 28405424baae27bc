const eastern = 'America/New_York';
const central = 'America/Chicago';
const mountain = 'America/Denver';
const pacific = 'America/Los_Angeles';

/**
 * Area codes whose numbers live in more than one zone, with the state(s) and every zone each must
 * map to: written out by hand from the time-zone maps, independently of the generated table.
 */
export const SPLIT_AREA_CODES: [code: string, states: string[], zones: string[]][] = [
  ['208', ['ID'], ['America/Boise', mountain, pacific]],
  ['270', ['KY'], [central, eastern]],
  ['308', ['NE'], [central, mountain]],
  ['423', ['TN'], [central, eastern]],
  ['541', ['OR'], [mountain, pacific]],
  ['605', ['SD'], [central, mountain, 'America/North_Dakota/Center']],
  ['620', ['KS'], [central, mountain]],
  ['701', ['ND'], [central, mountain, 'America/North_Dakota/Center']],
  ['785', ['KS'], [central, mountain]],
  ['812', ['IN'], [central, eastern]],
  ['850', ['FL'], [central, eastern]],
  ['906', ['MI'], [central, eastern]],
  ['907', ['AK'], ['America/Adak', 'America/Anchorage', 'America/Juneau']],
  ['928', ['AZ'], [mountain, 'America/Phoenix']],
  ['931', ['TN'], [central, eastern]],
  ['219', ['IN'], [central, eastern]],
  ['574', ['IN'], [central, eastern]],
  ['606', ['KY'], [central, eastern]],
  ['775', ['NV'], ['America/Boise', mountain, pacific]],
  ['334', ['AL'], [central, eastern]],
  ['364', ['KY'], [central, eastern]],
  ['448', ['FL'], [central, eastern]],
  ['458', ['OR'], [mountain, pacific]],
  ['930', ['IN'], [central, eastern]],
];
