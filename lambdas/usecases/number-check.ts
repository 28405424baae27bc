import type { Decision } from '../compliance/gate';
import {
  applyNumberCheck,
  blockDecision,
  numberCheckOutcome,
  reassignedCheckDue,
  type CheckAttempt,
  type NumberCheck,
  type NumberCheckReceipt,
} from '../compliance/number-check';
import type { ComplianceReceipt } from '../compliance/receipt';
import type { MessageRecord, ReassignedCheckRecord } from '../ports';
import type { Deps } from './deps';
import type { LoadedGateInput } from './gate-input';

/** The send worker's log message for a check that could not be done; an alarm counts it. */
export const NUMBER_LOOKUP_FAILED = 'number lookup failed';

/** The decision to act on, or a message a human must look at (the check kept failing). */
export type CheckedDecision =
  | {
      kind: 'decision';
      decision: Decision;
      lookupFailure?: string;
      /**
       * Saves the Lookup answer this check got, when the number is still the contact's: the
       * caller runs it beside the send claim (see `claimBesideAnswer`), not before it.
       */
      saveAnswer?: () => Promise<void>;
    }
  | { kind: 'review'; reason: string; numberCheck: NumberCheckReceipt; lookupFailure: string };

/**
 * The reassigned-number check an automated text passes right before it would go (RULES §1, §3):
 * 1. only a `send` of an automated text relying on a consent is checked;
 * 2. the policy says whether the phone's cached answer still speaks for that consent;
 * 3. if not, Lookup is asked (`LastVerifiedDate` = the later of the consent and the contact's
 *    last inbound text) and the answer cached per phone with its raw body;
 * 4. reassigned → a platform-wide `number_reassigned` event, the enrollment stops, the text is
 *    blocked; a failed check holds the text (doubling delays, then review).
 *
 * The contact's inbound texts are read only when a check is due: they can only move the last
 * verified day later, which never makes a cached `no` stop speaking for the consent.
 */
export async function checkNumberBeforeSend(
  deps: Pick<Deps, 'clock' | 'stores' | 'lookup'>,
  message: MessageRecord,
  loaded: LoadedGateInput,
  decision: Decision,
  lastReceipt: () => Promise<ComplianceReceipt | undefined> = async () => message.receipt,
): Promise<CheckedDecision> {
  const lineType = loaded.contact?.lineType;
  if (decision.verdict === 'send' && message.purpose !== 'confirmation' && lineType?.sms === false) {
    const reason = `SMS is impossible for this number: ${lineType.reason ?? lineType.type}`;
    return { kind: 'decision', decision: blockDecision(decision, reason) };
  }
  if (decision.verdict !== 'send' || message.purpose !== 'automated') return { kind: 'decision', decision };
  const reliedOn = loaded.input.consentEvents.find((event) => event.id === decision.receipt.consent.reliedOn);
  if (reliedOn === undefined) return { kind: 'decision', decision };

  const at = deps.clock.now();
  const consent = { at: reliedOn.at, recordedAt: reliedOn.recordedAt };
  const lastCheck = asCheck(loaded.numbers?.reassignedCheck);
  let due = reassignedCheckDue({ at, consent, lastCheck });
  if (!due.due) {
    const outcome = numberCheckOutcome(at, { kind: 'answer', check: due.check, cached: true });
    return act(deps, message, loaded, decision, outcome);
  }

  due = reassignedCheckDue({ at, consent, lastCheck, lastInboundAt: await lastInboundAt(deps, message) });
  const answer = await deps.lookup.reassigned(message.phone, due.lastVerifiedDate);
  if (answer.ok) {
    const record: ReassignedCheckRecord = {
      phone: message.phone,
      checkedAt: at.toISOString(),
      lastVerifiedDate: due.lastVerifiedDate,
      answer: answer.answer,
      raw: answer.raw,
    };
    const outcome = numberCheckOutcome(at, { kind: 'answer', check: asCheck(record)!, cached: false });
    const saveAnswer = () => deps.stores.numbers.saveReassignedCheck(record);
    // A number still the contact's only spares the next text a Lookup (this text's receipt holds
    // the answer), so it is saved beside the claim, one round trip fewer in a row. Any other
    // answer is saved before it is acted on.
    if (outcome.action === 'go')
      return { kind: 'decision', decision: applyNumberCheck(decision, outcome), saveAnswer };
    await saveAnswer();
    return act(deps, message, loaded, decision, outcome);
  }
  // The run of failures continues while the message's last decision was a failed check.
  const previous = (await lastReceipt())?.numberCheck?.failures;
  const failures =
    previous === undefined
      ? { since: at, count: 1 }
      : { since: new Date(previous.since), count: previous.count + 1 };
  const attempt: CheckAttempt = {
    kind: 'failed',
    lastVerifiedDate: due.lastVerifiedDate,
    reason: answer.reason,
    failures,
  };
  const checked = await act(deps, message, loaded, decision, numberCheckOutcome(at, attempt));
  return { ...checked, lookupFailure: answer.reason };
}

async function act(
  deps: Pick<Deps, 'clock' | 'stores'>,
  message: MessageRecord,
  loaded: LoadedGateInput,
  decision: Decision,
  outcome: ReturnType<typeof numberCheckOutcome>,
): Promise<CheckedDecision> {
  if (outcome.action === 'review') {
    return {
      kind: 'review',
      reason: outcome.reason,
      numberCheck: outcome.receipt,
      lookupFailure: outcome.reason,
    };
  }
  if (outcome.action === 'block') {
    const now = deps.clock.now().toISOString();
    await deps.stores.numbers.recordReassignment({
      phone: message.phone,
      at: outcome.reassignedAt.toISOString(),
      lastVerifiedDate: outcome.receipt.lastVerifiedDate,
      recordedAt: now,
      source: 'twilio_lookup',
      agentId: message.agentId,
    });
    await stopEnrollment(deps, message, loaded, now, outcome.reason);
  }
  return { kind: 'decision', decision: applyNumberCheck(decision, outcome) };
}

async function stopEnrollment(
  deps: Pick<Deps, 'stores'>,
  message: MessageRecord,
  loaded: LoadedGateInput,
  at: string,
  reason: string,
): Promise<void> {
  const enrollment = loaded.contact?.enrollment;
  if (enrollment?.status !== 'active') return;
  await deps.stores.contacts.setEnrollment(message.agentId, message.phone, {
    ...enrollment,
    status: 'stopped',
    stoppedAt: at,
    stoppedReason: reason,
  });
}

async function lastInboundAt(deps: Pick<Deps, 'stores'>, message: MessageRecord): Promise<Date | undefined> {
  const latest = await deps.stores.messages.lastInboundAt(message.agentId, message.phone);
  return latest === undefined ? undefined : new Date(latest);
}

function asCheck(record: ReassignedCheckRecord | undefined): NumberCheck | undefined {
  if (record === undefined) return undefined;
  return {
    checkedAt: new Date(record.checkedAt),
    lastVerifiedDate: record.lastVerifiedDate,
    answer: record.answer,
  };
}
