/**
 * The release reconciler's Lambda, invoked every 5 minutes by an EventBridge Scheduler rate
 * schedule. It publishes how many held texts it found past their release: any non-zero count
 * means a release schedule went missing, and the stack alarms on it.
 * AWS entry point: the composition root binds it to production `Deps` (aws/entries/release-reconciler.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { Deps } from '../../usecases/deps';
import { reconcileReleases, type ReconcileResult } from '../../usecases/reconcile-releases';

export type ReleaseReconcilerHandler = (event: unknown, context: Context) => Promise<ReconcileResult>;

/** CloudWatch namespace and metric the stack's alarm reads. */
export const RECONCILER_METRIC = { namespace: 'ConsentLine', name: 'OverdueHeldMessages' } as const;

const logger = new Logger({ serviceName: 'consentline-release-reconciler' });

/**
 * Runs one reconciliation at the clock's now; the count is published as an EMF metric.
 * @example const { found } = await createReleaseReconcilerHandler(deps)({}, context);
 */
export function createReleaseReconcilerHandler(
  deps: Deps,
  metrics = new Metrics({ namespace: RECONCILER_METRIC.namespace, serviceName: 'consentline' }),
): ReleaseReconcilerHandler {
  return async (_event, context) => {
    logger.addContext(context);
    const result = await reconcileReleases(deps, deps.clock.now());
    metrics.addMetric(RECONCILER_METRIC.name, MetricUnit.Count, result.found);
    metrics.publishStoredMetrics();
    if (result.found > 0)
      logger.error('held texts past their release: a schedule went missing', { ...result });
    else logger.info('no held text past its release', { ...result });
    // Thrown so the invocation fails and Scheduler retries: the next run would retry them anyway.
    if (result.failed > 0) throw new Error(`${result.failed} overdue held texts could not be requeued`);
    return result;
  };
}
