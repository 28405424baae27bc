import fc from 'fast-check';
import { mapBounded } from '../../../lambdas/usecases/bounded';

describe('mapBounded', () => {
  it('keeps input order and never has more than `limit` calls in flight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(5), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        async (delays, limit) => {
          // prepare
          let inFlight = 0;
          let peak = 0;
          // act
          const results = await mapBounded(delays, limit, async (delay, index) => {
            peak = Math.max(peak, ++inFlight);
            await new Promise((resolve) => setTimeout(resolve, delay));
            inFlight--;
            return index * 2;
          });
          // assess
          expect(results).toEqual(delays.map((_, index) => index * 2));
          expect(peak).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rejects with the first failure only after every started call settled, and starts no new ones', async () => {
    // prepare
    const started: number[] = [];
    let settled = 0;
    // act
    const outcome = mapBounded([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await new Promise((resolve) => setTimeout(resolve, item === 0 ? 1 : 20));
      settled++;
      if (item === 0) throw new Error('first failed');
      return item;
    });
    // assess
    await expect(outcome).rejects.toThrow('first failed');
    expect(started).toEqual([0, 1]);
    expect(settled).toBe(2);
  });
});
