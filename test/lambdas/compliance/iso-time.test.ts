import fc from 'fast-check';
import { isoString } from '../../../lambdas/compliance/iso-time';

describe('isoString', () => {
  it('writes what toISOString writes, for any instant Date accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoString(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('writes what toISOString writes around day and year boundaries and at the fast range ends', () => {
    const edges = [
      0,
      1,
      86_399_999,
      86_400_000,
      Date.parse('2028-02-29T23:59:59.999Z'),
      253_402_300_799_999,
      253_402_300_800_000,
      -1,
    ];
    for (const ms of edges) expect(isoString(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws on an invalid instant, as toISOString does', () => {
    expect(() => isoString(Number.NaN)).toThrow(RangeError);
  });
});
