import type { Clock } from '../../ports';
import type { ScheduleStore } from './store';
import type { Deliver } from './types';

/**
 * Fires the store's due schedules into `deliver`, at least once: a schedule armed to fire twice
 * (by the store's share or a fault) is delivered twice, as Scheduler may. A failed delivery
 * leaves the schedule due; the next `fireDue` is Scheduler's retry.
 */
export class ScheduleFiring {
  private duplicatesLeft = 0;
  private duplicatesFired = 0;
  private delayMs = 0;
  // Serialises fireDue calls, so two overlapping calls cannot fire one schedule twice.
  private firing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ScheduleStore,
    private readonly deliver: Deliver,
    private readonly clock: Clock,
  ) {}

  /** Fires every enabled schedule due by the clock, earliest first; resolves to how many fired. */
  fireDue(): Promise<number> {
    const run = this.firing.then(() => this.fireNow());
    this.firing = run.catch(() => undefined);
    return run;
  }

  /** How many fires were delivered twice so far. */
  duplicateFires(): number {
    return this.duplicatesFired;
  }

  /** Fault: the next `n` schedules to fire are delivered twice. */
  duplicateNext(n: number): void {
    this.duplicatesLeft = n;
  }

  /** Fault: schedules fire `ms` after their time (0 puts them back on time). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  private async fireNow(): Promise<number> {
    const now = this.clock.now().getTime();
    const due = this.store
      .all()
      .filter(
        (s) => s.state === 'ENABLED' && s.firedAt === undefined && s.fireAt.getTime() + this.delayMs <= now,
      );
    let fired = 0;
    for (const schedule of due) {
      // Deleted (through the API) while an earlier schedule was being delivered.
      if (!this.store.holds(schedule)) continue;
      const copies = this.duplicatesLeft > 0 || schedule.twice ? 2 : 1;
      try {
        for (let copy = 0; copy < copies; copy++) await this.deliver(schedule.target, schedule.target.Input);
      } catch (error) {
        schedule.failedAttempts++;
        schedule.lastError = error instanceof Error ? error.message : String(error);
        continue;
      }
      if (copies === 2 && !schedule.twice) this.duplicatesLeft--;
      if (copies === 2) this.duplicatesFired++;
      fired++;
      if (schedule.actionAfterCompletion === 'DELETE') {
        this.store.delete(schedule.name, schedule.groupName);
      } else {
        schedule.firedAt = this.clock.now();
      }
    }
    return fired;
  }
}
