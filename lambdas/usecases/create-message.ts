import { decide, type Verdict } from '../compliance/gate';
import type { ComplianceReceipt } from '../compliance/receipt';
import type { Agent, DecidedSend, MessageRecord } from '../ports';
import { decidedSendOf } from './decided-send';
import type { Deps } from './deps';
import { invalidField, notFound } from './errors';
import { loadGateInput } from './gate-input';
import { newMessageRecord } from './message-records';
import { routeDecision } from './route-decision';

/** Twilio refuses a body over 1,600 characters (error 21617). */
export const MAX_BODY_CHARS = 1600;

/** What the API answers at once: the verdict of the first gate run, with its receipt. */
export type MessageAccepted = {
  messageId: string;
  verdict: Verdict;
  releaseAt?: string;
  receipt: ComplianceReceipt;
};

/**
 * `POST /v1/messages`: an agent's one-to-one text. The message is logged as `queued`, the gate
 * runs once so the agent learns at once what will happen, and then:
 * - `block` → `blocked`, final, with the reasons;
 * - `hold` → `held` with a release schedule at `releaseAt`;
 * - `send` → on the send queue with what the gate read, where the worker decides again before
 *   Twilio, on those reads while its send claim proves them unchanged, otherwise on fresh ones.
 *
 * `to` is E.164 (the HTTP layer normalised it); `body` is 1–1,600 characters as typed.
 */
export async function createMessage(
  deps: Deps,
  agent: Agent,
  request: { to: string; body: string },
): Promise<MessageAccepted> {
  const draft = newMessageRecord({
    agentId: agent.agentId,
    phone: request.to,
    kind: 'manual',
    purpose: 'manual',
    body: request.body,
    at: deps.clock.now(),
  });
  return submitMessage(deps, agent, draft);
}

/**
 * Runs a new text through the gate once and acts on the verdict: `block` → `blocked` with the
 * reasons, `hold` → `held` with a release schedule, `send` → on the send queue (the worker decides
 * again before Twilio). The record is created only when its composed body fits. `draft` comes
 * from `newMessageRecord` with the random id it drew.
 */
export async function submitMessage(
  deps: Deps,
  agent: Agent,
  draft: MessageRecord,
): Promise<MessageAccepted> {
  const loaded = await loadGateInput(deps, draft, { agent });
  const decision = decide(loaded.input);
  const { receipt } = decision;
  if (decision.body.length > MAX_BODY_CHARS) {
    throw invalidField(
      'body',
      `with the sender's name added the text is ${decision.body.length} characters; the limit is ${MAX_BODY_CHARS}`,
    );
  }

  const message: MessageRecord = {
    ...draft,
    receipt,
    history: [{ status: 'queued', at: draft.createdAt, receipt }],
  };
  // The draft's id was drawn at random by `newMessageRecord`.
  if (!(await deps.stores.messages.create(message)))
    throw new Error(`message id ${message.messageId} exists`);
  const accepted = { messageId: message.messageId, verdict: decision.verdict, receipt };
  if (decision.verdict === 'send') {
    await enqueueOrFail(deps, message, decidedSendOf(message, loaded));
    return accepted;
  }
  const routed = await routeDecision(deps, message, decision, ['queued']);
  // The release as booked: a whole minute (Scheduler's precision), never before the gate's instant.
  return { ...accepted, releaseAt: routed?.releaseAt ?? decision.releaseAt?.toISOString() };
}

/**
 * Puts the message on the send queue. If the queue refuses it, nothing would ever pick the
 * message up: it is marked `failed` (visible to the agent) before the error goes to the caller.
 */
async function enqueueOrFail(deps: Deps, message: MessageRecord, decided?: DecidedSend): Promise<void> {
  try {
    await deps.queue.enqueue({
      messageId: message.messageId,
      phone: message.phone,
      ...(decided === undefined ? {} : { decided }),
    });
  } catch (error) {
    await deps.stores.messages.transition(
      message.messageId,
      ['queued'],
      {
        status: 'failed',
        at: deps.clock.now().toISOString(),
        errorCode: 'enqueue_failed',
        reasons: ['the send queue did not accept the message; nothing was sent'],
      },
      {},
      message,
    );
    throw error;
  }
}

/** One of the agent's messages with its whole status history; another agent's is not found. */
export async function getMessage(
  deps: Pick<Deps, 'stores'>,
  agent: Agent,
  messageId: string,
): Promise<MessageRecord> {
  const message = await deps.stores.messages.get(messageId);
  if (message === undefined || message.agentId !== agent.agentId) throw notFound(`no message ${messageId}`);
  return message;
}
