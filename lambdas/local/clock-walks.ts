import { randomUUID } from 'node:crypto';

/** One walk of the test clock, as `GET /local/clock` reports it. */
export type ClockWalk = {
  walkId: string;
  from: string;
  to: string;
  status: 'running' | 'done' | 'failed';
  /** How far the clock has come, 0 to 1. */
  progress: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
};

/** A walk was asked for while another is under way. */
export class ClockBusyError extends Error {
  override readonly name = 'ClockBusyError';
}

/**
 * The test clock's walks, one at a time: `run` refuses a second while one is under way (an HTTP
 * walk and an in-process `advanceClock` alike), and `start` runs one in the background so a
 * year's walk answers at once with its id and reports its progress instead of holding a request.
 */
export function createClockWalks(options: { now: () => Date }) {
  let current: { walk: ClockWalk; fromMs: number; toMs: number } | undefined;

  function begin(to: Date): ClockWalk {
    if (current?.walk.status === 'running') {
      throw new ClockBusyError(`the clock is walking to ${current.walk.to} (walk ${current.walk.walkId})`);
    }
    const from = options.now();
    const walk: ClockWalk = {
      walkId: `walk_${randomUUID()}`,
      from: from.toISOString(),
      to: to.toISOString(),
      status: 'running',
      progress: 0,
      startedAt: new Date().toISOString(),
    };
    current = { walk, fromMs: from.getTime(), toMs: to.getTime() };
    return walk;
  }

  function finish(walk: ClockWalk, error?: unknown): void {
    walk.status = error === undefined ? 'done' : 'failed';
    walk.finishedAt = new Date().toISOString();
    if (error === undefined) walk.progress = 1;
    else walk.error = error instanceof Error ? error.message : String(error);
  }

  return {
    /** Walks to `to` with `step`, awaited; throws `ClockBusyError` while another walk runs. */
    async run(to: Date, step: (to: Date) => Promise<void>): Promise<ClockWalk> {
      const walk = begin(to);
      try {
        await step(to);
      } catch (error) {
        finish(walk, error);
        throw error;
      }
      finish(walk);
      return walk;
    },
    /** Starts the walk in the background and answers at once; `done` settles when it ends. */
    start(to: Date, step: (to: Date) => Promise<void>): { walk: ClockWalk; done: Promise<void> } {
      const walk = begin(to);
      const done = step(to).then(
        () => finish(walk),
        (error: unknown) => finish(walk, error),
      );
      return { walk, done };
    },
    /** The latest walk, its progress measured now. */
    latest(): ClockWalk | undefined {
      if (current === undefined) return undefined;
      const { walk, fromMs, toMs } = current;
      if (walk.status === 'running') {
        const span = toMs - fromMs;
        walk.progress = span <= 0 ? 1 : Math.min(1, Math.max(0, (options.now().getTime() - fromMs) / span));
      }
      return { ...walk };
    },
  };
}
