import fc from 'fast-check';
import { planPopulation } from '../../../../lambdas/local/simulation/population';
import { SeededRandom } from '../../../../lambdas/local/simulation/prng';
import { SLOTS_PER_DAY } from '../../../../lambdas/local/simulation/slots';
import { planTimeline } from '../../../../lambdas/local/simulation/timeline';

describe('planTimeline', () => {
  it('has a phone do at most one thing per slot, the last slot of the run included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 3, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, days, enrollShare) => {
          // prepare
          const random = new SeededRandom(seed);
          const population = planPopulation(random.fork(), 300);

          // act
          const timeline = planTimeline(random.fork(), population, { days, enrollShare });

          // assess
          expect(timeline.contactEvents).toHaveLength(days * SLOTS_PER_DAY);
          for (const events of timeline.contactEvents) {
            const phones = events.map((event) => event.contact.phone);
            expect(new Set(phones).size).toBe(phones.length);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
