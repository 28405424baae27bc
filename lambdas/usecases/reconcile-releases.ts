import { gateKeyOf } from '../ports';
import type { Deps } from './deps';

/** A held text this long past its release has lost its schedule: Scheduler fires within the minute. */
export const OVERDUE_AFTER_MS = 5 * 60_000;

export type ReconcileResult = {
  /** Held messages whose release is more than {@link OVERDUE_AFTER_MS} past: each is a missing schedule. */
  found: number;
  requeued: number;
  failed: number;
};

/**
 * Puts back on the send queue, in batches, every held message whose release is more than 5 minutes past,
 * read from the sparse release index (never a Scan). The worker decides again with fresh reads,
 * so a requeued text is sent, held again or blocked exactly as if its schedule had fired. The
 * deduplication id carries the minute, so the next run requeues again if this one was lost.
 */
export async function reconcileReleases(
  deps: Pick<Deps, 'stores' | 'queue'>,
  now: Date,
): Promise<ReconcileResult> {
  const before = new Date(now.getTime() - OVERDUE_AFTER_MS).toISOString();
  const overdue = (await deps.stores.messages.listHeldBefore(before)).filter(
    // The index is eventually consistent: a message that left `held` a moment ago may still show.
    (message) => message.status === 'held',
  );
  const minute = now.toISOString().slice(0, 16);
  const refused = await deps.queue.enqueueAll(
    overdue.map((message) => ({
      messageId: message.messageId,
      phone: message.phone,
      dedupSuffix: `reconcile#${minute}`,
      gate: gateKeyOf(message),
    })),
  );
  const failed = refused.length;
  return { found: overdue.length, requeued: overdue.length - failed, failed };
}
