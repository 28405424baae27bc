import { fillTemplate, messageTexts, senderFields } from '../../rules/messages';
import type { InboundJob, Reply } from './job';
import { outboundRecord, queueOutbound, type Outbound } from './records';

/** START/UNSTOP/YES: express written consent for this agent only; other agents keep needing their own. */
export async function optIn(job: InboundJob): Promise<{ consentEventId: string; reply: Reply }> {
  const { deps, agent, sms, receivedAt } = job;
  const at = deps.clock.now().toISOString();
  const draft = {
    agentId: agent.agentId,
    phone: sms.from,
    channel: 'sms' as const,
    type: 'express_written' as const,
    at: receivedAt,
    method: 'text_reply',
    evidence: sms.body,
    capturedBy: 'inbound_sms',
    source: 'keyword',
  };
  const earlier = job.recovering
    ? (await deps.stores.ledger.list(agent.agentId, sms.from)).find(
        (event) =>
          event.type === draft.type && event.at === draft.at && event.capturedBy === draft.capturedBy,
      )
    : undefined;
  const event = earlier ?? (await deps.stores.ledger.append(draft, at));

  if (agent.doubleOptIn) {
    const contact = await deps.stores.contacts.get(agent.agentId, sms.from);
    if (contact === undefined) await deps.stores.contacts.upsert(agent.agentId, sms.from, {}, at);
    await deps.stores.contacts.setDoubleOptIn(agent.agentId, sms.from, 'accepted', at);
  }

  const reply = await replyUnlessTwilioDid(job, {
    messageId: `reply_${sms.messageSid}`,
    kind: 'keyword_reply',
    phone: sms.from,
    body: fillTemplate(messageTexts.optInConfirmation, senderFields(agent)),
    reason: `confirms the opt-in of inbound ${sms.messageSid}`,
  });
  return { consentEventId: event.id, reply };
}

/** HELP/INFO: who is texting and how to stop; not consent. */
export async function help(job: InboundJob): Promise<{ reply: Reply }> {
  const { agent, sms } = job;
  const reply = await replyUnlessTwilioDid(job, {
    messageId: `reply_${sms.messageSid}`,
    kind: 'keyword_reply',
    phone: sms.from,
    body: fillTemplate(messageTexts.helpReply, { ...senderFields(agent), contactPhone: agent.senderNumber }),
    reason: `answers the help request of inbound ${sms.messageSid}`,
  });
  return { reply };
}

/**
 * Anything else goes to the agent's own phone (seed 000 §7). The record's `phone` is the agent's
 * `forwardTo`, so the gate locates and counts the agent, and purpose `confirmation` because it
 * answers the contact's own text: it needs no consent from the agent's own phone.
 */
export async function forward(job: InboundJob): Promise<{ forwardId: string }> {
  const { deps, agent, sms } = job;
  const contact = await deps.stores.contacts.get(agent.agentId, sms.from);
  const record = outboundRecord(job, {
    messageId: `fwd_${sms.messageSid}`,
    kind: 'forward',
    phone: agent.forwardTo,
    body: fillTemplate(messageTexts.forwardedInbound, {
      from: sms.from,
      contactName: contact?.name ? ` (${contact.name})` : '',
      body: sms.body === '' ? '(no text)' : sms.body,
    }),
    reason: `forwards inbound ${sms.messageSid} from ${sms.from} to the agent`,
  });
  await queueOutbound(job, record);
  return { forwardId: record.messageId };
}

/** RULES §2: exactly one reply reaches the phone; Twilio's own answer to its keywords is that reply. */
async function replyUnlessTwilioDid(job: InboundJob, outbound: Outbound): Promise<Reply> {
  if (job.reading.replyBy === 'twilio') return { by: 'twilio' };
  const record = outboundRecord(job, outbound);
  const queued = await queueOutbound(job, record);
  return { by: 'consentline', messageId: record.messageId, queued };
}
