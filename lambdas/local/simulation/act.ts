import { ConsentLineApiError, type MessageAccepted } from '../../client';
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
      return textIn(context, event, event.kind, event.duplicate);
    case 'manualThenStop':
      await manualText(context, event);
      return textIn(context, event, 'stop', false);
    case 'fail21610':
      runtime.twilio.failNumber(contact.phone, '21610', event.mode);
      context.tainted.add(contact.phone);
      count(context, 'fail21610', event.mode);
      return;
  }
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
 */
async function textIn(
  context: RunContext,
  event: Pick<ContactEvent, 'contact' | 'agent'>,
  kind: InboundKind,
  duplicate: boolean,
): Promise<void> {
  const { runtime, random } = context;
  const agent = context.agents[event.agent]!;
  const body = random.pick(INBOUND_TEXTS[kind]);
  if (kind === 'stop' || kind === 'revocation') context.tainted.add(event.contact.phone);
  const delivery = await runtime.twilio.receiveSms({
    from: event.contact.phone,
    to: agent.senderNumber,
    body,
  });
  const status = delivery.landed === 'lost' ? 'lost' : (delivery.attempts.at(-1)?.answer ?? 'none');
  count(context, 'inbound', `${kind}.${status}`);
  if (!duplicate) return;
  const form = inboundForm({
    sid: delivery.messageSid,
    from: event.contact.phone,
    to: agent.senderNumber,
    body,
    accountSid: runtime.twilio.accountSid,
  });
  const again = await postSignedWebhook(runtime, `${runtime.baseUrl}/twilio/sms`, form);
  context.faults.duplicateInboundWebhook.injected++;
  if (again === 200) context.faults.duplicateInboundWebhook.observed++;
  count(context, 'inbound', `${kind}.redelivered.${again}`);
}
