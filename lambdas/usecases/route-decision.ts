import type { Decision } from '../compliance/gate';
import { DECIDABLE } from '../compliance/message-lifecycle';
import { gateKeyOf, type MessageRecord, type MessageStatus } from '../ports';
import type { Deps } from './deps';

const MINUTE_MS = 60_000;

/**
 * `at` rounded up to the whole minute. EventBridge Scheduler fires a one-time schedule anywhere
 * within the minute of its `at()` (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html:
 * "between 1:00:00 and 1:00:59"), so only a whole-minute release can never fire before the instant.
 * @example wholeMinuteFrom(new Date('2026-11-23T13:00:30Z')) // 2026-11-23T13:01:00Z
 */
export function wholeMinuteFrom(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / MINUTE_MS) * MINUTE_MS);
}

/**
 * Applies a gate decision that does not send:
 * - `block` → `blocked`, final, with the reasons and the receipt;
 * - `hold` → a one-time release schedule at `releaseAt` (the queue gets the message back then
 *   and the worker re-checks it: release never bypasses the gate), then `held` with the
 *   release instant, reasons and receipt.
 *
 * The schedule is booked before the status moves: if booking fails the message is still
 * queued/held and the caller's retry tries again; if the move then loses to another worker,
 * the schedule only brings back a message the worker will skip. Releases are whole minutes
 * (Scheduler's precision). Booking is idempotent per (message, releaseAt, attempt); a message
 * already held until the same instant is left as it is once that instant has come, and booked
 * again — a new attempt, a new schedule — when its release came back early.
 *
 * Returns the message as it now stands, or undefined when it was no longer in `from` (someone
 * else moved it) or the verdict is `send` (the worker sends; nothing is routed here).
 */
export async function routeDecision(
  deps: Pick<Deps, 'clock' | 'stores' | 'scheduler'>,
  message: MessageRecord,
  decision: Decision,
  from: readonly MessageStatus[] = DECIDABLE,
): Promise<MessageRecord | undefined> {
  const { receipt } = decision;
  const at = deps.clock.now().toISOString();
  if (decision.verdict === 'block') {
    return deps.stores.messages.transition(
      message.messageId,
      from,
      { status: 'blocked', at, reasons: receipt.reasons, receipt },
      { receipt, releaseAt: null },
      message,
    );
  }
  if (decision.verdict === 'hold') {
    if (decision.releaseAt === undefined) throw new Error('gate: a hold without a release instant');
    const releaseAt = wholeMinuteFrom(decision.releaseAt).toISOString();
    const sameRelease = message.status === 'held' && message.releaseAt === releaseAt;
    // Scheduler fires within the minute and at least once: a release may come back before its
    // instant (a duplicate, or one booked before releases were whole minutes). It gets a fresh
    // schedule under a new attempt number, never the name of the one that already fired.
    const early = sameRelease && deps.clock.now().getTime() < Date.parse(releaseAt);
    if (sameRelease && !early) return message;
    await deps.scheduler.scheduleRelease({
      messageId: message.messageId,
      phone: message.phone,
      releaseAt,
      attempt: message.history.length,
      gate: gateKeyOf(message),
    });
    const reasons = early
      ? ['the release came back before its instant; booked again', ...receipt.reasons]
      : receipt.reasons;
    return deps.stores.messages.transition(
      message.messageId,
      from,
      { status: 'held', at, reasons, receipt },
      { receipt, releaseAt },
      message,
    );
  }
  return undefined;
}
