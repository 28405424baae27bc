import { randomUUID } from 'node:crypto';
import { inboundId } from '../compliance/message-lifecycle';
import type { Purpose } from '../compliance/types';
import type { Agent, InboundRecord, MessageKind, MessageRecord } from '../ports';
import type { InboundSms } from './inbound/job';

/** A new message id: `msg_` and 32 random hex digits. */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/**
 * A text ConsentLine will send, ready for `stores.messages.create`: `queued`, created at `at`
 * (the store keeps it for the retention). With `reasons` its history starts with them; without, it is empty and
 * the caller writes the first entry (the gate's receipt).
 */
export function newMessageRecord(fields: {
  agentId: string;
  phone: string;
  kind: MessageKind;
  purpose: Purpose;
  body: string;
  at: Date;
  messageId?: string;
  reasons?: string[];
}): MessageRecord {
  const createdAt = fields.at.toISOString();
  return {
    messageId: fields.messageId ?? newMessageId(),
    agentId: fields.agentId,
    phone: fields.phone,
    kind: fields.kind,
    purpose: fields.purpose,
    body: fields.body,
    status: 'queued',
    history:
      fields.reasons === undefined ? [] : [{ status: 'queued', at: createdAt, reasons: fields.reasons }],
    createdAt,
    updatedAt: createdAt,
  };
}

/** A text the contact sent to `agent`, as one webhook delivery received it at `at`. */
export function newInboundRecord(agent: Pick<Agent, 'agentId'>, sms: InboundSms, at: Date): InboundRecord {
  const receivedAt = at.toISOString();
  const optOutType = sms.optOutType ? ` (OptOutType ${sms.optOutType})` : '';
  return {
    messageId: inboundId(sms.messageSid),
    agentId: agent.agentId,
    phone: sms.from,
    kind: 'inbound',
    body: sms.body,
    messageSid: sms.messageSid,
    status: 'processing',
    history: [
      {
        status: 'processing',
        at: receivedAt,
        reasons: [`received from ${sms.from} on ${sms.to}${optOutType}`],
      },
    ],
    createdAt: receivedAt,
    updatedAt: receivedAt,
  };
}
