import type { SeededRandom } from './prng';

const DAY_MS = 86_400_000;
/** Instants per simulated day at which contacts and agents act; the clock stops there. */
export const SLOTS_PER_DAY = 6;
const BLOCK_MS = DAY_MS / SLOTS_PER_DAY;
const HOUR_MS = 3_600_000;

/**
 * The simulated instants at which things happen: six per day, one in each 4-hour block, redrawn
 * every week, so local times cover nights, mornings and evenings in every zone. A quarter of them
 * fall exactly on a whole hour, where windows open and close (20:00:00.000 is already closed).
 */
export function planSlots(random: SeededRandom, start: Date, days: number): Date[] {
  const weeks = Math.ceil(days / 7);
  const offsets = Array.from({ length: weeks }, () =>
    Array.from({ length: SLOTS_PER_DAY }, () =>
      random.chance(0.25) ? random.int(0, 3) * HOUR_MS : random.int(1, BLOCK_MS - 1),
    ),
  );
  const slots: Date[] = [];
  for (let day = 0; day < days; day++) {
    for (let block = 0; block < SLOTS_PER_DAY; block++) {
      // Slot 0 of day 0 never falls on the start instant itself: setup happens there.
      const offset = Math.max(offsets[Math.floor(day / 7)]![block]!, day === 0 && block === 0 ? HOUR_MS : 0);
      slots.push(new Date(start.getTime() + day * DAY_MS + block * BLOCK_MS + offset));
    }
  }
  return slots;
}
