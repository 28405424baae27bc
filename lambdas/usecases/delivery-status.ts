import { sourcesOf, statusOfCallback } from '../compliance/message-lifecycle';
import type { MessageRecord, MessageStatus } from '../ports';
import type { Deps } from './deps';
import { endCadenceAfterConsentEnds } from './end-cadence';

/** The fields of Twilio's status callback this use case reads. */
export type DeliveryStatus = {
  messageSid: string;
  /** Our message id, from the signed callback URL; absent on a URL without one. */
  messageId?: string;
  /** Twilio's `MessageStatus`: queued, sending, sent, delivered, undelivered, failed… */
  status: string;
  errorCode?: string;
  /** The recipient, E.164: where a 21610 opt-out applies even when the SID is unknown. */
  to?: string;
};

export type DeliveryStatusOutcome =
  | { kind: 'recorded'; messageId: string; status: MessageStatus }
  /** A status that does not move the message forward: a duplicate, a late one, or one we do not track. */
  | { kind: 'ignored'; messageId: string; reason: string }
  | { kind: 'unknown_message' };

/** Twilio error 21610: the recipient replied STOP to Twilio itself; it is a global opt-out (RULES §2). */
export const UNSUBSCRIBED_RECIPIENT = '21610';

/**
 * Records a Twilio status callback on the message log (RULES §6): the status is appended to the
 * message's history only if it moves the message forward, with a conditional transition, so
 * callbacks that arrive twice or out of order never regress it (`delivered` stays `delivered`
 * when a late `sent` arrives). Error 21610 records a global opt-out for the recipient first,
 * once per SID, even when the SID is not ours or the status is stale.
 */
export async function recordDeliveryStatus(
  deps: Deps,
  callback: DeliveryStatus,
): Promise<DeliveryStatusOutcome> {
  if (callback.messageId !== undefined) return recordByMessageId(deps, callback, callback.messageId);
  const message = await findBySid(deps, callback.messageSid);
  const phone = message?.phone ?? callback.to;
  if (callback.errorCode === UNSUBSCRIBED_RECIPIENT && phone !== undefined) {
    await recordCarrierOptOut(deps, { phone, messageSid: callback.messageSid, agentId: message?.agentId });
  }
  if (message === undefined) return { kind: 'unknown_message' };
  return advance(deps, message, callback);
}

/**
 * The callback names its message (the id in the signed URL): one conditional UpdateItem whose
 * condition is the lifecycle's allowed moves into the reported status, so a repeated or
 * out-of-order callback is refused by DynamoDB and changes nothing. Error 21610 first records
 * the global opt-out, as for a callback found by SID.
 */
async function recordByMessageId(
  deps: Deps,
  callback: DeliveryStatus,
  messageId: string,
): Promise<DeliveryStatusOutcome> {
  const { errorCode } = callback;
  if (errorCode === UNSUBSCRIBED_RECIPIENT) {
    const message = await deps.stores.messages.get(messageId);
    const phone = message?.phone ?? callback.to;
    if (phone !== undefined) {
      await recordCarrierOptOut(deps, { phone, messageSid: callback.messageSid, agentId: message?.agentId });
    }
  }
  const status = statusOfCallback(callback.status);
  if (status === undefined)
    return { kind: 'ignored', messageId, reason: `Twilio status ${callback.status} is not tracked` };
  const moved = await deps.stores.messages.recordCallback(messageId, callback.messageSid, sourcesOf(status), {
    status,
    at: deps.clock.now().toISOString(),
    twilioSid: callback.messageSid,
    ...(errorCode === undefined ? {} : { errorCode, reasons: [`Twilio error ${errorCode}`] }),
  });
  if (!moved) return { kind: 'ignored', messageId, reason: `${status} does not move it forward` };
  return { kind: 'recorded', messageId, status };
}

/**
 * Twilio can call back before the worker has stored the SID it answered with, and the SID index
 * lags the table by a moment: look again a few times before treating the SID as unknown.
 */
const SID_LOOKUP_RETRIES_MS = [100, 250, 500];

async function findBySid(deps: Deps, messageSid: string): Promise<MessageRecord | undefined> {
  let message = await deps.stores.messages.findByTwilioSid(messageSid);
  for (const waitMs of SID_LOOKUP_RETRIES_MS) {
    if (message !== undefined) break;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    message = await deps.stores.messages.findByTwilioSid(messageSid);
  }
  return message;
}

async function advance(
  deps: Deps,
  message: MessageRecord,
  callback: DeliveryStatus,
): Promise<DeliveryStatusOutcome> {
  const status = statusOfCallback(callback.status);
  if (status === undefined) {
    return {
      kind: 'ignored',
      messageId: message.messageId,
      reason: `Twilio status ${callback.status} is not tracked`,
    };
  }
  const errorCode = callback.errorCode;
  const moved = await deps.stores.messages.transition(
    message.messageId,
    sourcesOf(status),
    {
      status,
      at: deps.clock.now().toISOString(),
      twilioSid: callback.messageSid,
      ...(errorCode === undefined ? {} : { errorCode, reasons: [`Twilio error ${errorCode}`] }),
    },
    errorCode === undefined ? {} : { errorCode },
    // Read just now: the store need not read it back.
    message,
  );
  if (moved === undefined) {
    return { kind: 'ignored', messageId: message.messageId, reason: `${status} does not move it forward` };
  }
  return { kind: 'recorded', messageId: message.messageId, status };
}

async function recordCarrierOptOut(
  deps: Deps,
  { phone, messageSid, agentId }: { phone: string; messageSid: string; agentId?: string },
): Promise<void> {
  const existing = await deps.stores.optouts.list(phone);
  if (existing.some((record) => record.source === 'carrier_21610' && record.messageSid === messageSid))
    return;
  const at = deps.clock.now().toISOString();
  const optOut = await deps.stores.optouts.record(
    {
      phone,
      at,
      source: 'carrier_21610',
      words: UNSUBSCRIBED_RECIPIENT,
      messageSid,
      ...(agentId === undefined ? {} : { agentId }),
    },
    at,
  );
  await endCadenceAfterConsentEnds(deps, {
    phone,
    eventId: optOut.id,
    reason: 'Twilio error 21610: the number unsubscribed from texts (global opt-out)',
    agentId,
    everyAgent: true,
  });
}
