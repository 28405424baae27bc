import type { MessageKind, MessageRecord } from '../../ports';
import { newMessageRecord } from '../message-records';
import type { InboundJob } from './job';

export type Outbound = {
  messageId: string;
  kind: Extract<MessageKind, 'keyword_reply' | 'forward'>;
  phone: string;
  body: string;
  reason: string;
};

/** A reply or forward, queued: purpose `confirmation` (RULES §2: exempt from windows and caps). */
export function outboundRecord(job: InboundJob, outbound: Outbound): MessageRecord {
  return newMessageRecord({
    messageId: outbound.messageId,
    agentId: job.agent.agentId,
    phone: outbound.phone,
    kind: outbound.kind,
    purpose: 'confirmation',
    body: outbound.body,
    at: job.deps.clock.now(),
    reasons: [outbound.reason],
  });
}

/**
 * Creates the record and puts it on the send queue. When the id exists already nothing is
 * queued, except by a delivery taking over a failed one: it may have died between the create
 * and the enqueue, and the queue's deduplication and the worker's conditional claim make a
 * second enqueue harmless.
 */
export async function queueOutbound(job: InboundJob, record: MessageRecord): Promise<boolean> {
  const { messages } = job.deps.stores;
  const created = await messages.create(record);
  if (!created) {
    if (!job.recovering) return false;
    const existing = await messages.get(record.messageId);
    if (existing?.status !== 'queued') return false;
  }
  await job.deps.queue.enqueue({ messageId: record.messageId, phone: record.phone });
  return true;
}
