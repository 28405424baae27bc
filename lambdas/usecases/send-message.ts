import { bindingBlackouts, inForce } from '../compliance/blackout';
import { decide, type Decision } from '../compliance/gate';
import { locateRecipient } from '../compliance/location';
import { AWAITING_ANSWER, DECIDABLE } from '../compliance/message-lifecycle';
import type { DecidedSend, GateKey, MessageRecord, SendClaim, SendClaimLoss, SmsSendResult } from '../ports';
import { loadedFromDecided } from './decided-send';
import { capRules } from '../rules/caps';
import type { Deps } from './deps';
import { endCadenceAfterConsentEnds } from './end-cadence';
import { bindsBlackouts, gateInputOf, loadGateInput, readForGate, type LoadedGateInput } from './gate-input';
import { statusCallbackUrl } from '../handlers/twilio/webhook-urls';
import { checkNumberBeforeSend, type CheckedDecision } from './number-check';
import { twilioSenderOf } from './inbound/job';
import { routeDecision } from './route-decision';

/** What one worker pass did with a message. */
export type SendOutcome = {
  outcome: 'sent' | 'held' | 'blocked' | 'failed' | 'needs_review' | 'skipped';
  /** The message as this pass left it; absent when it does not exist or was not touched. */
  message?: MessageRecord;
  /** Why a pass skipped, failed or stopped for review. */
  reason?: string;
  /** Set when the reassigned-number check could not be done (the alarm counts these). */
  lookupFailure?: string;
  /** Set when Lookup answered but the answer could not be cached (the next text asks again). */
  answerNotSaved?: string;
};

export type SendMessageOptions = {
  /**
   * Runs after the gate decided to send and before the claim transaction. Tests write an
   * opt-out or a suspension here, as if it arrived while the worker was deciding.
   */
  beforeClaim?: (message: MessageRecord) => Promise<void>;
  /**
   * Runs after the message moved to `sending` and before Twilio is called. Tests make it throw
   * to simulate a worker that dies there; production passes nothing.
   */
  afterSendingClaimed?: (message: MessageRecord) => Promise<void>;
  /** Read-decide-claim rounds before giving the message back to the queue; 5 by default. */
  maxClaimAttempts?: number;
  /** What the API read and decided on, as the queue message carries it (see {@link sendAsDecided}). */
  decided?: DecidedSend;
  /** The message's gate key, as the queue message carries it: the gate's reads go beside the message's. */
  gate?: GateKey;
};

/**
 * Twilio (or the caps) did not take the text and said so: the message is queued again and the
 * queue should redeliver it later, with backoff. Thrown so the SQS batch marks the record failed.
 */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';

  constructor(
    message: string,
    readonly messageId: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

const DEFAULT_CLAIM_ATTEMPTS = 5;

// Twilio may have accepted the text before the answer was lost, or accepted it without saying
// what it created: sending again could text the recipient twice, so a human looks instead.
const AMBIGUOUS_ERRORS = new Set(['timeout', 'network', 'invalid_response']);

const STOPPED_MID_SEND = "worker stopped between sending and Twilio's answer; not resent";

/**
 * The send worker's step for one message, at most once toward the recipient:
 * 1. the message must be `queued` or `held` (one left in `sending` by a crashed worker goes to
 *    `needs_review`, never to Twilio again; anything final is left alone);
 * 2. fresh reads and `decide` again — never a verdict cached from creation or from the hold —
 *    then, for an automated text about to go, the reassigned-number check;
 * 3. `hold`/`block` are routed (schedule + `held`, or `blocked`); `send` takes, in one
 *    transaction, `queued|held → sending`, the recipient's cap slot and the agent's day slot,
 *    on the condition that the consent it decided on is still the last (no ledger event and no
 *    opt-out recorded since), the agent is not suspended and no blackout was declared or ended
 *    since — the last look before Twilio, atomic with the claim (lost message → another worker
 *    has it; anything else lost → read and decide again, so an opt-out blocks it, a blackout
 *    holds it and a cap filled meanwhile holds it), then calls Twilio once;
 * 4. Twilio's answer: accepted → `sent` with the SID; 21610 → global opt-out + `blocked`;
 *    another refusal → `failed`; a definite 5xx/429 → `queued` and {@link RetryableSendError};
 *    no answer (timeout, network) → `needs_review`.
 *
 * Throws {@link RetryableSendError} when the queue should try again later; any other error
 * (a store failing) also leaves the message where a redelivery picks it up.
 */
export async function sendMessage(
  deps: Deps,
  messageId: string,
  options: SendMessageOptions = {},
): Promise<SendOutcome> {
  if (options.decided !== undefined) {
    const sent = await sendAsDecided(deps, messageId, options.decided, options);
    if (sent !== undefined) return sent;
  }
  const { gate } = options;
  // The message without its history kept apart: only a hold (its release schedule is named by
  // the number of moves) and a failed Lookup (the run of failures is in the last receipt) read it.
  // With the queue record's gate key, the message rides in the gate's batch.
  const prefetched =
    gate?.messageId === messageId
      ? await readForGate(deps, gate, { messageId }).then((read) => ({ ...read, gate }))
      : undefined;
  const head =
    prefetched === undefined ? await deps.stores.messages.head(messageId) : prefetched.reads.keyed.message;
  if (head === undefined) return { outcome: 'skipped', reason: `no message ${messageId}` };
  const { message, whole } = head;
  if (message.status === 'sending') return stopForReview(deps, message);
  if (!DECIDABLE.includes(message.status)) {
    return { outcome: 'skipped', message, reason: `message is ${message.status}` };
  }

  const attempts = options.maxClaimAttempts ?? DEFAULT_CLAIM_ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    // Reads taken beside the message's stand for fresh ones once: the claim proves them current.
    const loaded =
      attempt === 0 && prefetched !== undefined && keyedAlike(prefetched.gate, message)
        ? gateInputOf(message, prefetched.reads, prefetched.at)
        : await loadGateInput(deps, message);
    // Automated texts also pass the reassigned-number check right before they would go.
    const checked = await checkNumberBeforeSend(
      deps,
      message,
      loaded,
      decide(loaded.input),
      async () => message.receipt ?? (await whole()).receipt,
    );
    if (checked.kind === 'review') return reviewUnchecked(deps, message, checked);
    const { decision, lookupFailure } = checked;
    if (decision.verdict !== 'send') {
      const routed = await routeDecision(
        deps,
        decision.verdict === 'hold' ? await whole() : message,
        decision,
      );
      if (routed === undefined) return { outcome: 'skipped', reason: 'another worker moved the message' };
      return { outcome: decision.verdict === 'hold' ? 'held' : 'blocked', message: routed, lookupFailure };
    }
    await options.beforeClaim?.(message);
    const { claim, answerNotSaved } = await claimBesideAnswer(
      checked,
      claimSending(deps, message, loaded, decision),
    );
    if (claim === 'message') return { outcome: 'skipped', reason: 'another worker is sending the message' };
    if (typeof claim !== 'string')
      return withNote(await deliver(deps, claim, loaded, decision, options), answerNotSaved);
  }
  throw new RetryableSendError(
    `no caps slot after ${attempts} attempts: other sends to ${message.phone} kept winning`,
    messageId,
    'caps_contention',
  );
}

/**
 * The worker's step on the API's reads, without reading again: the gate decides once more at the
 * worker's clock (windows, caps over time) on what the API read, and the send claim holds only
 * while the message has not moved since the API logged it and the consent records, opt-outs,
 * reassignments, the agent's suspension and the recipient's sends are those read — the same last
 * look as after fresh reads, atomic with the claim. Anything else (a verdict other than `send`,
 * a refused claim, reads too old) is left to the fresh-read path: undefined.
 */
async function sendAsDecided(
  deps: Deps,
  messageId: string,
  decided: DecidedSend,
  options: SendMessageOptions,
): Promise<SendOutcome | undefined> {
  const taken = loadedFromDecided(decided, messageId, deps.clock.now());
  if (taken === undefined) return undefined;
  const { message, loaded } = taken;
  const checked = await checkNumberBeforeSend(deps, message, loaded, decide(loaded.input));
  if (checked.kind !== 'decision' || checked.decision.verdict !== 'send') return undefined;
  await options.beforeClaim?.(message);
  const { claim, answerNotSaved } = await claimBesideAnswer(
    checked,
    claimSending(deps, message, loaded, checked.decision, message.updatedAt),
  );
  if (typeof claim === 'string') return undefined;
  return withNote(await deliver(deps, claim, loaded, checked.decision, options), answerNotSaved);
}

/**
 * The send claim, with the Lookup answer the check got saved beside it rather than before it.
 * The saved answer only spares a later text a Lookup (this text's receipt records it), so a save
 * that fails is reported, never a reason to leave a claimed text unsent.
 */
async function claimBesideAnswer<T>(
  checked: CheckedDecision,
  claiming: Promise<T>,
): Promise<{ claim: T; answerNotSaved?: string }> {
  if (checked.kind !== 'decision' || checked.saveAnswer === undefined) return { claim: await claiming };
  const [claim, saved] = await Promise.allSettled([claiming, checked.saveAnswer()]);
  if (claim.status === 'rejected') throw claim.reason;
  return saved.status === 'fulfilled'
    ? { claim: claim.value }
    : { claim: claim.value, answerNotSaved: String(saved.reason) };
}

function withNote(outcome: SendOutcome, answerNotSaved: string | undefined): SendOutcome {
  return answerNotSaved === undefined ? outcome : { ...outcome, answerNotSaved };
}

/**
 * Moves the message to `sending` and takes its cap slots in one transaction (RULES §3, §5), so
 * concurrent workers cannot pass a cap and a claim that loses consumes no slot. Returns the
 * message as claimed, or which part was refused. Cap-exempt texts take no slot.
 */
async function claimSending(
  deps: Deps,
  message: MessageRecord,
  loaded: LoadedGateInput,
  decision: Decision,
  unchangedSince?: string,
): Promise<MessageRecord | SendClaimLoss> {
  const { receipt } = decision;
  const change = { status: 'sending' as const, at: deps.clock.now().toISOString(), receipt };
  const at = loaded.input.at.toISOString();
  const claim: SendClaim = {
    messageId: message.messageId,
    kept: message,
    from: DECIDABLE,
    change,
    changes: { receipt, releaseAt: null },
    recipient:
      loaded.countersVersion === undefined
        ? undefined
        : {
            phone: message.phone,
            send: { at, purpose: message.purpose, messageId: message.messageId },
            seenVersion: loaded.countersVersion,
            keepSince: loaded.keepSince,
            ...(loaded.countersSeen === undefined ? {} : { seenSends: loaded.countersSeen }),
          },
    agentDay: agentDayOf(message, at, loaded.input.agentSendsToday ?? 0),
    // Keyword replies are exempt from consent and suspension, as in the gate.
    ...(loaded.consentSeen === undefined
      ? {}
      : { consent: { agentId: message.agentId, phone: loaded.to, ...loaded.consentSeen } }),
    ...(message.purpose === 'confirmation' ? {} : { activeAgentId: message.agentId }),
    ...(unchangedSince === undefined ? {} : { unchangedSince }),
    ...(loaded.blackoutsVersion === undefined ? {} : { blackoutsVersion: loaded.blackoutsVersion }),
  };
  const result = await deps.stores.caps.claimSending(claim);
  if (!result.claimed) return result.lost;
  const { releaseAt: _cleared, ...rest } = message;
  return {
    ...(message.releaseAt === undefined ? message : rest),
    status: 'sending',
    updatedAt: change.at,
    history: [...message.history, change],
    receipt,
  };
}

/** The agent's day slot a text takes (RULES §5), keyed by the UTC day of the decision. */
function agentDayOf(message: MessageRecord, decidedAt: string, seenCount = 0): SendClaim['agentDay'] {
  const { agentDaily } = capRules;
  if (!agentDaily.purposes.includes(message.purpose as 'automated')) return undefined;
  return { agentId: message.agentId, utcDate: decidedAt.slice(0, 10), cap: agentDaily.max, seenCount };
}

/** Gives the agent's day slot back: Twilio certainly did not take the text. */
async function releaseAgentSlot(deps: Deps, message: MessageRecord, loaded: LoadedGateInput): Promise<void> {
  const slot = agentDayOf(message, loaded.input.at.toISOString());
  if (slot !== undefined) await deps.stores.caps.releaseAgentSend(slot.agentId, slot.utcDate);
}

async function deliver(
  deps: Deps,
  message: MessageRecord,
  loaded: LoadedGateInput,
  decision: Decision,
  options: SendMessageOptions,
): Promise<SendOutcome> {
  await options.afterSendingClaimed?.(message);
  // Opt-outs, suspensions and new blackouts were checked by the claim itself.
  const lateBlackout = blackoutInForceSinceDecision(deps, message, loaded);
  if (lateBlackout) {
    // Held like any held text (release at the blackout's end, then the next window); the
    // recipient's cap slot stays taken, which can only hold another text, never send one.
    const held = await routeDecision(deps, message, lateBlackout, ['sending']);
    await releaseAgentSlot(deps, message, loaded);
    if (held === undefined) return { outcome: 'skipped', reason: 'another worker moved the message' };
    return { outcome: lateBlackout.verdict === 'hold' ? 'held' : 'blocked', message: held };
  }
  const result = await deps.sms.send({
    from: loaded.agent.senderNumber,
    ...(loaded.agent.messagingServiceSid === undefined
      ? {}
      : { messagingServiceSid: loaded.agent.messagingServiceSid }),
    to: loaded.to,
    body: decision.body,
    statusCallback: statusCallbackUrl(deps.config.publicBaseUrl, message.messageId),
  });
  return recordAnswer(deps, message, loaded, decision, result);
}

/**
 * The last look at blackouts (RULES §3): the claim proved that none was declared or ended since
 * the gate read them; one the gate saw still to come that is in force by now, binding the
 * recipient, holds the text. Returns the gate's decision at now, or undefined when none binds.
 */
function blackoutInForceSinceDecision(
  deps: Deps,
  message: MessageRecord,
  loaded: LoadedGateInput,
): Decision | undefined {
  const { input } = loaded;
  if (!bindsBlackouts(message) || input.blackouts === undefined) return undefined;
  const now = deps.clock.now();
  const location = input.recipient.location ?? locateRecipient(input.recipient);
  const binding = bindingBlackouts(input.blackouts, location, input.purpose);
  if (!binding.some((blackout) => inForce(blackout, now.getTime()))) return undefined;
  return decide({ ...input, at: now });
}

/**
 * Moves the message out of `sending` according to Twilio's answer. `needs_review` is accepted
 * as a starting point too: a worker that found this one's `sending` and took it for a crash is
 * corrected by the worker that actually got Twilio's answer.
 */
async function recordAnswer(
  deps: Deps,
  message: MessageRecord,
  loaded: LoadedGateInput,
  decision: Decision,
  result: SmsSendResult,
): Promise<SendOutcome> {
  const { messages, optouts } = deps.stores;
  const { messageId } = message;
  const now = deps.clock.now();
  const at = now.toISOString();

  if (result.ok) {
    const sent = await messages.transition(
      messageId,
      AWAITING_ANSWER,
      { status: 'sent', at, twilioSid: result.sid },
      { twilioSid: result.sid, sentBody: decision.body },
      message,
    );
    return { outcome: 'sent', message: sent };
  }

  const twilioSays = `Twilio answered ${result.errorCode}: ${result.message}`;
  // Twilio refused it for certain (an ambiguous answer keeps the slot: the text may be out).
  if (!AMBIGUOUS_ERRORS.has(result.errorCode)) await releaseAgentSlot(deps, message, loaded);
  if (result.errorCode === '21610') {
    // The carrier says the number unsubscribed: that is a global opt-out (RULES §1, §2), and
    // Twilio's block list holds it for this sender until the contact texts START.
    const [optOut] = await Promise.all([
      optouts.record(
        { phone: loaded.to, at, source: 'carrier_21610', words: '21610', agentId: message.agentId },
        at,
      ),
      deps.stores.twilioBlocks.record({
        sender: twilioSenderOf(loaded.agent),
        phone: loaded.to,
        blocked: true,
        at,
        messageSid: message.messageId,
        words: 'error 21610',
      }),
    ]);
    await endCadenceAfterConsentEnds(deps, {
      phone: loaded.to,
      eventId: optOut.id,
      reason: 'Twilio error 21610: the number unsubscribed from texts (global opt-out)',
      agentId: message.agentId,
      everyAgent: true,
    });
    const blocked = await messages.transition(
      messageId,
      AWAITING_ANSWER,
      {
        status: 'blocked',
        at,
        errorCode: result.errorCode,
        reasons: [twilioSays, 'recorded as a global opt-out'],
      },
      { errorCode: result.errorCode },
      message,
    );
    return { outcome: 'blocked', message: blocked, reason: twilioSays };
  }
  if (AMBIGUOUS_ERRORS.has(result.errorCode)) {
    const reason = `${twilioSays}; Twilio may have accepted the text, so it is not resent`;
    const review = await messages.transition(
      messageId,
      ['sending'],
      { status: 'needs_review', at, errorCode: result.errorCode, reasons: [reason] },
      { errorCode: result.errorCode },
      message,
    );
    return { outcome: 'needs_review', message: review, reason };
  }
  if (result.retryable) {
    await messages.transition(
      messageId,
      AWAITING_ANSWER,
      { status: 'queued', at, errorCode: result.errorCode, reasons: [`${twilioSays}; will retry`] },
      { errorCode: result.errorCode },
      message,
    );
    throw new RetryableSendError(twilioSays, messageId, result.errorCode);
  }
  const failed = await messages.transition(
    messageId,
    AWAITING_ANSWER,
    { status: 'failed', at, errorCode: result.errorCode, reasons: [twilioSays] },
    { errorCode: result.errorCode },
    message,
  );
  return { outcome: 'failed', message: failed, reason: twilioSays };
}

/** The reassigned-number check kept failing past its retry period: a human decides, nothing is sent. */
async function reviewUnchecked(
  deps: Deps,
  message: MessageRecord,
  checked: { reason: string; lookupFailure: string },
): Promise<SendOutcome> {
  const review = await deps.stores.messages.transition(
    message.messageId,
    DECIDABLE,
    { status: 'needs_review', at: deps.clock.now().toISOString(), reasons: [checked.reason] },
    {},
    message,
  );
  if (review === undefined) return { outcome: 'skipped', reason: 'another worker moved the message' };
  return {
    outcome: 'needs_review',
    message: review,
    reason: checked.reason,
    lookupFailure: checked.lookupFailure,
  };
}

/**
 * A message found in `sending` was left there by a worker that stopped before recording
 * Twilio's answer. Twilio may or may not have it: a human decides, the worker never resends.
 */
async function stopForReview(deps: Deps, message: MessageRecord): Promise<SendOutcome> {
  const review = await deps.stores.messages.transition(
    message.messageId,
    ['sending'],
    { status: 'needs_review', at: deps.clock.now().toISOString(), reasons: [STOPPED_MID_SEND] },
    {},
    message,
  );
  if (review === undefined)
    return { outcome: 'skipped', reason: 'the sending worker recorded an answer meanwhile' };
  return { outcome: 'needs_review', message: review, reason: STOPPED_MID_SEND };
}

/** The message is the one the key was taken from: the gate's reads are the same. */
function keyedAlike(key: GateKey, message: MessageRecord): boolean {
  return (
    key.agentId === message.agentId &&
    key.phone === message.phone &&
    key.kind === message.kind &&
    key.purpose === message.purpose
  );
}
