import type { Agent, MessageRecord } from '../../ports';
import type { Deps } from '../deps';
import type { InboundSms } from './job';
import { expiresAt } from './records';

/**
 * How long one webhook delivery may hold an inbound message before a retry may take it over. It
 * must outlast the webhook function's timeout (≤ 10 s), and it is shorter than Twilio's own 15 s
 * webhook timeout, so a retry Twilio sends after a crashed delivery finds the claim expired.
 */
export const PROCESSING_LEASE_MS = 12_000;

export type Claim = { messageId: string; createdAt: string; recovering: boolean };

/**
 * Takes the inbound message for this delivery (idempotency on MessageSid). Undefined when it is
 * done already or another delivery holds it. A claim left `failed`, or `sending` past the lease
 * (a crashed delivery), is taken over with a conditional transition so only one retry wins.
 */
export async function claimInbound(deps: Deps, agent: Agent, sms: InboundSms): Promise<Claim | undefined> {
  const { messages } = deps.stores;
  const now = deps.clock.now();
  const record = inboundRecord(agent, sms, now.toISOString());
  if (await messages.create(record)) {
    return { messageId: record.messageId, createdAt: record.createdAt, recovering: false };
  }
  const existing = await messages.get(record.messageId);
  if (existing === undefined) throw new Error(`inbound ${record.messageId} exists but cannot be read`);
  const at = now.toISOString();
  if (existing.status === 'sending' && now.getTime() - Date.parse(existing.updatedAt) > PROCESSING_LEASE_MS) {
    await messages.transition(record.messageId, ['sending'], {
      status: 'failed',
      at,
      reasons: ['the delivery processing it did not finish within the lease'],
    });
  } else if (existing.status !== 'failed') {
    return undefined;
  }
  const retaken = await messages.transition(record.messageId, ['failed'], {
    status: 'sending',
    at,
    reasons: ['a redelivery takes over the unfinished processing'],
  });
  return retaken && { messageId: retaken.messageId, createdAt: retaken.createdAt, recovering: true };
}

/** Closes the claim; `repliedBy` records who answered the contact (`twilio` or the reply's id). */
export async function finishInbound(
  deps: Deps,
  messageId: string,
  status: 'delivered' | 'failed',
  reasons: string[],
  repliedBy?: string,
): Promise<void> {
  await deps.stores.messages.transition(
    messageId,
    ['sending'],
    { status, at: deps.clock.now().toISOString(), reasons },
    repliedBy === undefined ? undefined : { repliedBy },
  );
}

function inboundRecord(agent: Agent, sms: InboundSms, at: string): MessageRecord {
  return {
    messageId: `inbound_${sms.messageSid}`,
    agentId: agent.agentId,
    phone: sms.from,
    agentPhone: `${agent.agentId}#${sms.from}`,
    kind: 'inbound',
    // Typed by a person; inbound texts are never sent, so no gate reads this.
    purpose: 'manual',
    body: sms.body,
    status: 'sending',
    history: [
      {
        status: 'sending',
        at,
        reasons: [
          `received from ${sms.from} on ${sms.to}${sms.optOutType ? ` (OptOutType ${sms.optOutType})` : ''}`,
        ],
        twilioSid: sms.messageSid,
      },
    ],
    createdAt: at,
    updatedAt: at,
    expiresAt: expiresAt(at),
  };
}
