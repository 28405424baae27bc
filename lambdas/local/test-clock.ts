import type { Clock } from '../ports';

/**
 * The local runtime's clock: real time until someone sets it, then simulated time that moves
 * only forward (like a payment platform's test clocks), so a 10-year cadence can be walked.
 */
export class TestClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(start?: Date) {
    if (start) this.frozenAt = start.getTime();
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  /** Moves simulated time to `to`; time never goes backwards. */
  advanceTo(to: Date): void {
    const target = to.getTime();
    if (Number.isNaN(target)) throw new RangeError('clock: not a valid instant');
    if (target < this.now().getTime()) throw new RangeError(`clock: ${to.toISOString()} is in the past`);
    this.frozenAt = target;
  }
}
