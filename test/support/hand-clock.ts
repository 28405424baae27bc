import type { Clock } from '../../lambdas/ports';

/** A clock the test sets by hand, to any instant, backwards too. */
export class HandClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
}
