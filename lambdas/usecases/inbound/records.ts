import type { MessageKind, MessageRecord } from '../../ports';
import type { InboundJob } from './job';

const RETENTION_YEARS = 6;

/** Epoch seconds `RETENTION_YEARS` after `createdAt` (RULES §6: at least 5 years). */
export function expiresAt(createdAt: string): number {
  const date = new Date(createdAt);
  date.setUTCFullYear(date.getUTCFullYear() + RETENTION_YEARS);
  return Math.floor(date.getTime() / 1000);
}

export type Outbound = {
  messageId: string;
  kind: Extract<MessageKind, 'keyword_reply' | 'forward'>;
  phone: string;
  body: string;
  reason: string;
};

/** A reply or forward, queued: purpose `confirmation` (RULES §2: exempt from windows and caps). */
export function outboundRecord(job: InboundJob, outbound: Outbound): MessageRecord {
  const at = job.deps.clock.now().toISOString();
  return {
    messageId: outbound.messageId,
    agentId: job.agent.agentId,
    phone: outbound.phone,
    agentPhone: `${job.agent.agentId}#${outbound.phone}`,
    kind: outbound.kind,
    purpose: 'confirmation',
    body: outbound.body,
    status: 'queued',
    history: [{ status: 'queued', at, reasons: [outbound.reason] }],
    createdAt: at,
    updatedAt: at,
    expiresAt: expiresAt(at),
  };
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
