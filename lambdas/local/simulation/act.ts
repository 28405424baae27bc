import { ConsentLineApiError, type MessageAccepted } from '../../client';
import { twilioKeywordRules } from '../../rules/twilio-keywords';
import type { InboundDelivery } from '../twilio-standin';
import { count, unexpected, type RunContext } from './context';
import type { ContactEvent, InboundKind } from './timeline';
import { inboundForm, postSignedWebhook } from './webhooks';

/** What contacts text, by kind (RULES §2 keywords and phrases, and ordinary replies). */
export const INBOUND_TEXTS: Record<InboundKind, readonly string[]> = {
  stop: ['STOP', 'Stop', 'stop.', 'UNSUBSCRIBE', 'cancel', 'QUIT', 'End', 'opt-out', 'STOP ALL', 'Arret'],
  revocation: [
    'Please stop texting me',
    'remove me from your list',
    "don't text me",
    'do not contact me',
    'lose my number',
    'no más',
  ],
  help: ['HELP', 'info', 'Help'],
  start: ['START', 'yes', 'UNSTOP', 'Yes'],
  other: [
    'Thanks! Is the open house still on Sunday?',
    'Call me tomorrow please',
    'Who is this?',
    'Sounds good 👍',
    'What is my home worth now?',
  ],
};

const MANUAL_TEXTS = [
  'Hi {first}, just checking in. Any questions about the market?',
  'Hi {first}, the listing on Elm St you asked about just dropped its price.',
  '{first}, are you free for a quick call this week?',
  'Hi {first}, happy to send comps for your street if useful.',
];

/** Performs one contact event against the runtime, over its HTTP API and Twilio webhooks. */
export async function act(context: RunContext, event: ContactEvent): Promise<void> {
  try {
    await perform(context, event);
  } catch (error) {
    if (error instanceof ConsentLineApiError) {
      count(context, event.type, `${error.status} ${error.code}`);
      if (isExpectedRefusal(event, error)) return;
    }
    unexpected(context, `${event.type} ${event.contact.phone}`, error);
  }
}

/** Refusals the plan provokes on purpose: enrolling without consent, enrolling twice, unenrolling a stopped cadence. */
function isExpectedRefusal(event: ContactEvent, error: ConsentLineApiError): boolean {
  if (event.type === 'enroll') return error.status === 422 || error.status === 409;
  if (event.type === 'unenroll') return error.status === 409;
  return false;
}

async function perform(context: RunContext, event: ContactEvent): Promise<void> {
  const { runtime } = context;
  const agent = context.agents[event.agent]!;
  const { contact } = event;
  const now = runtime.clock.now().toISOString();
  switch (event.type) {
    case 'register':
      await agent.api.contacts.put(contact.phone, { name: contact.name, ...contact.signals });
      await agent.api.consent.append(contact.phone, {
        type: 'express_written',
        method: contact.method,
        at: now,
        capturedBy: agent.name,
        evidence: `${contact.method}: "yes, text me about homes"`,
      });
      count(context, 'register', 'express');
      return;
    case 'revoke':
      await agent.api.consent.append(contact.phone, {
        type: 'revocation',
        at: now,
        capturedBy: agent.name,
        evidence: 'asked on a call not to be texted',
      });
      context.tainted.add(contact.phone);
      count(context, 'revoke', 'recorded');
      return;
    case 'enroll':
      await agent.api.enroll(contact.phone);
      count(context, 'enroll', 'active');
      return;
    case 'unenroll':
      await agent.api.unenroll(contact.phone);
      count(context, 'unenroll', 'stopped');
      return;
    case 'manual':
      await manualText(context, event);
      return;
    case 'inbound':
      await textIn(context, event, event.kind, event.duplicate);
      return;
    case 'manualThenStop':
      await manualText(context, event);
      await textIn(context, event, 'stop', false);
      return;
    case 'disconnect':
      await disconnect(context, contact.phone);
      return;
    case 'fail21610':
      runtime.twilio.failNumber(contact.phone, '21610', event.mode);
      context.tainted.add(contact.phone);
      count(context, 'fail21610', event.mode);
      return;
  }
}

/** FCC minimum aging of a permanently disconnected number before it is reassigned (47 CFR 52.15(f)(1)(ii)). */
const AGING_MS = 45 * 86_400_000;

/**
 * The carrier disconnects `phone`: declared to the Lookup stand-in over its local route (from now
 * on Lookup answers "reassigned" for any earlier date), and in the run's ground truth a new
 * subscriber has it once the aging period is over.
 */
async function disconnect(context: RunContext, phone: string): Promise<void> {
  const { runtime } = context;
  const now = runtime.clock.now();
  const response = await fetch(`${runtime.baseUrl}/local/numbers/${encodeURIComponent(phone)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reassignedAt: now.toISOString() }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`POST /local/numbers/${phone}: ${response.status}`);
  context.tainted.add(phone);
  context.reassignments.push({
    phone,
    disconnectedAt: now.toISOString(),
    newOwnerFrom: new Date(now.getTime() + AGING_MS).toISOString(),
  });
  context.faults.numberReassigned.injected++;
  count(context, 'disconnect', 'declared');
}

/** An agent's one-to-one text; the API answers with the gate's verdict at once. */
export async function manualText(
  context: RunContext,
  event: Pick<ContactEvent, 'contact' | 'agent'>,
): Promise<MessageAccepted> {
  const agent = context.agents[event.agent]!;
  const first = event.contact.name.split(' ')[0]!;
  const body = `${context.random.pick(MANUAL_TEXTS).replace('{first}', first)} (#${++context.textNumber})`;
  const accepted = await agent.api.messages.create({ to: event.contact.phone, body });
  count(context, 'manual', accepted.verdict);
  return accepted;
}

/**
 * The contact texts the agent's number through the Twilio stand-in, as a phone does: Twilio
 * answers its own keywords and keeps its block list, then calls the webhook (retrying and
 * falling back as the URL asks). `duplicate` then redelivers the same webhook (same MessageSid).
 * The phone's text is logged for the checker; what Twilio did with it counts toward the faults.
 */
export async function textIn(
  context: RunContext,
  event: Pick<ContactEvent, 'contact' | 'agent'>,
  kind: InboundKind,
  duplicate: boolean,
): Promise<InboundDelivery> {
  const { runtime, random, faults } = context;
  const agent = context.agents[event.agent]!;
  const body = random.pick(INBOUND_TEXTS[kind]);
  if (kind === 'stop' || kind === 'revocation') context.tainted.add(event.contact.phone);
  const at = runtime.clock.now().toISOString();
  const twilioKeyword = isTwilioKeyword(body);
  const delivery = await runtime.twilio.receiveSms({
    from: event.contact.phone,
    to: agent.senderNumber,
    body,
  });
  context.phoneTexts.push({
    sid: delivery.messageSid,
    from: event.contact.phone,
    to: agent.senderNumber,
    body,
    at,
    optOut: kind === 'stop' || kind === 'revocation',
  });
  if (twilioKeyword) faults.twilioKeywordReply.injected++;
  if (delivery.keywordReply !== undefined) faults.twilioKeywordReply.observed++;
  const answers = delivery.attempts.map((attempt) => attempt.answer);
  // Retried into the primary webhook: the overrides at work (a Fallback delivery counts apart).
  const retried = delivery.landed === 'primary';
  if (retried && answers.some((answer) => typeof answer === 'number' && answer >= 500))
    faults.inboundWebhook5xx.observed++;
  if (retried && answers.includes('rt')) faults.inboundWebhookTimeout.observed++;
  if (delivery.landed === 'fallback') faults.inboundViaFallback.observed++;
  const status = delivery.landed === 'lost' ? 'lost' : (answers.at(-1) ?? 'none');
  count(context, 'inbound', `${kind}.${delivery.landed}.${status}`);
  if (!duplicate) return delivery;
  const form = inboundForm({
    sid: delivery.messageSid,
    from: event.contact.phone,
    to: agent.senderNumber,
    body,
    accountSid: runtime.twilio.accountSid,
  });
  const again = await postSignedWebhook(runtime, `${runtime.baseUrl}/twilio/sms`, form);
  faults.duplicateInboundWebhook.injected++;
  if (again === 200) faults.duplicateInboundWebhook.observed++;
  count(context, 'inbound', `${kind}.redelivered.${again}`);
  return delivery;
}

/** Twilio's own keyword matching: the whole message, trimmed, any case (https://help.twilio.com/articles/223134027). */
function isTwilioKeyword(body: string): boolean {
  const word = body.trim().toUpperCase();
  const { optOut, optIn, help } = twilioKeywordRules;
  return optOut.includes(word) || optIn.includes(word) || help.includes(word);
}
