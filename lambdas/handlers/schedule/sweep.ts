/**
 * The drip sweep's Lambda, invoked by an EventBridge Scheduler rate schedule. It ignores the
 * schedule's payload: what is due comes from the clock and the due index.
 * AWS entry point: the composition root binds it to production `Deps` (aws/entries/sweep.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Deps } from '../../usecases/deps';
import { sweepDueSteps, type SweepResult } from '../../usecases/sweep';

export type SweepHandler = (event: unknown, context: Context) => Promise<SweepResult>;

const logger = new Logger({ serviceName: 'consentline-sweep' });

/**
 * Runs one sweep at the clock's now and logs what it did. Steps the queue refused are back in
 * the due index for the next run, so they are logged, not thrown: a retry of the whole sweep
 * would only read again what the next scheduled run reads anyway.
 *
 * @example
 * const sweep = createSweepHandler(deps);
 * const { enqueued } = await sweep({}, context);
 */
export function createSweepHandler(deps: Deps): SweepHandler {
  return async (_event, context) => {
    logger.addContext(context);
    const result = await sweepDueSteps(deps, { now: deps.clock.now() });
    if (result.failed > 0)
      logger.error('some due steps could not be enqueued; the next sweep retries', { ...result });
    else logger.info('drip sweep done', { ...result });
    return result;
  };
}
