import type { InboundClaim, SenderAgent } from '../../ports';
import type { Deps } from '../deps';
import { newInboundRecord } from '../message-records';
import type { InboundSms } from './job';

/**
 * How long one webhook delivery may hold an inbound message before a retry may take it over. It
 * must outlast the webhook function's timeout (≤ 10 s), and it is shorter than Twilio's own 15 s
 * webhook timeout, so a retry Twilio sends after a crashed delivery finds the claim expired.
 */
export const PROCESSING_LEASE_MS = 12_000;

/**
 * Takes the inbound message for this delivery (idempotency on MessageSid), in one conditional
 * write. Undefined when it is handled already or another delivery holds it; a claim left
 * `interrupted`, or `processing` past the lease (a crashed delivery), is taken over.
 */
export async function claimInbound(
  deps: Deps,
  agent: SenderAgent,
  sms: InboundSms,
): Promise<InboundClaim | undefined> {
  return deps.stores.messages.claimInbound(
    newInboundRecord(agent, sms, deps.clock.now()),
    PROCESSING_LEASE_MS,
  );
}

/** Closes the claim; `repliedBy` records who answered the contact (`twilio` or the reply's id). */
export async function finishInbound(
  deps: Deps,
  claim: InboundClaim,
  status: 'handled' | 'interrupted',
  reasons: string[],
  repliedBy?: string,
): Promise<void> {
  await deps.stores.messages.finishInbound(
    claim,
    { status, at: deps.clock.now().toISOString(), reasons },
    repliedBy,
  );
}
