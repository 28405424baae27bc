/**
 * A local EventBridge Scheduler: just the one-time (`at()`) schedules the release scheduler
 * creates, spoken over the same REST-JSON wire as AWS so the real `SchedulerClient` talks to it
 * (pass `endpoint`). Time is the injected clock's; schedules fire when `fireDue()` is called.
 *
 * As inconvenient as the service: a schedule fires anywhere inside the minute of its `at()` —
 * "between 1:00:00 and 1:00:59" (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html),
 * so an `at()` with seconds may fire before them — at a seeded instant, and, being
 * at-least-once, sometimes twice (`duplicateShare`).
 * @module
 */

import { ScheduleFiring } from './firing';
import { listenOn, schedulerHandler } from './server';
import { DEFAULT_GROUP } from './schemas';
import { ScheduleStore } from './store';
import type { SchedulerStandIn, SchedulerStandInOptions } from './types';

export { sqsDelivery } from './sqs-target';
export type {
  Deliver,
  ScheduleTarget,
  SchedulerStandIn,
  SchedulerStandInOptions,
  StandInSchedule,
} from './types';

/**
 * Creates an in-process Scheduler stand-in.
 *
 * @example
 * const standIn = createSchedulerStandIn({ clock, deliver: sqsDelivery(sqsClient) });
 * const { endpoint, close } = await standIn.listen();
 * const client = new SchedulerClient({ endpoint, region: 'us-east-1', credentials });
 * // ... clock.advanceTo(later); await standIn.fireDue();
 */
export function createSchedulerStandIn(options: SchedulerStandInOptions): SchedulerStandIn {
  const { clock, deliver, seed = 1, duplicateShare = 0, exact = false } = options;
  const store = new ScheduleStore({ clock, seed, duplicateShare, exact });
  const firing = new ScheduleFiring(store, deliver, clock);
  const handler = schedulerHandler(store);
  return {
    handler,
    listen: (port) => listenOn(handler, port),
    fireDue: () => firing.fireDue(),
    list: () =>
      store
        .all()
        .map(({ clientToken: _token, sequence: _sequence, twice: _twice, ...schedule }) =>
          structuredClone(schedule),
        ),
    instants: () => store.all(),
    drop: (name, groupName = DEFAULT_GROUP) => store.delete(name, groupName),
    duplicateFires: () => firing.duplicateFires(),
    duplicateNextFire: (n = 1) => firing.duplicateNext(n),
    delayFires: (ms) => firing.delay(ms),
  };
}
