import type { Decision } from '../compliance/gate';
import type { MessageRecord, MessageStatus } from '../ports';
import type { Deps } from './deps';

/** Where a message may be when a decision about it is applied: not yet handed to a worker's Twilio call. */
export const DECIDABLE: MessageStatus[] = ['queued', 'held'];

/**
 * Applies a gate decision that does not send:
 * - `block` → `blocked`, final, with the reasons and the receipt;
 * - `hold` → a one-time release schedule at `releaseAt` (the queue gets the message back then
 *   and the worker re-checks it: release never bypasses the gate), then `held` with the
 *   release instant, reasons and receipt.
 *
 * The schedule is booked before the status moves: if booking fails the message is still
 * queued/held and the caller's retry tries again; if the move then loses to another worker,
 * the schedule only brings back a message the worker will skip. Booking is idempotent per
 * (message, releaseAt), and a message already held until the same instant is left as it is
 * so a redelivered release does not grow its history.
 *
 * Returns the message as it now stands, or undefined when it was no longer in `from` (someone
 * else moved it) or the verdict is `send` (the worker sends; nothing is routed here).
 */
export async function routeDecision(
  deps: Pick<Deps, 'clock' | 'stores' | 'scheduler'>,
  message: MessageRecord,
  decision: Decision,
  from: MessageStatus[] = DECIDABLE,
): Promise<MessageRecord | undefined> {
  const { receipt } = decision;
  const at = deps.clock.now().toISOString();
  if (decision.verdict === 'block') {
    const clearRelease = message.releaseAt === undefined ? {} : { releaseAt: undefined };
    return deps.stores.messages.transition(
      message.messageId,
      from,
      { status: 'blocked', at, reasons: receipt.reasons, receipt },
      { receipt, ...clearRelease },
    );
  }
  if (decision.verdict === 'hold') {
    if (decision.releaseAt === undefined) throw new Error('gate: a hold without a release instant');
    const releaseAt = decision.releaseAt.toISOString();
    await deps.scheduler.scheduleRelease({ messageId: message.messageId, phone: message.phone, releaseAt });
    if (message.status === 'held' && message.releaseAt === releaseAt) return message;
    return deps.stores.messages.transition(
      message.messageId,
      from,
      { status: 'held', at, reasons: receipt.reasons, receipt },
      { receipt, releaseAt },
    );
  }
  return undefined;
}
