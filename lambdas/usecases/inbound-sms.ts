import { readInbound, type InboundReading } from '../compliance/twilio-handling';
import type { Deps } from './deps';
import { claimInbound, finishInbound } from './inbound/claim';
import { describeHandling, type InboundJob, type InboundSms, type Reply } from './inbound/job';
import { receiveOptOut } from './inbound/opt-out';
import { forward, help, optIn } from './inbound/replies';
import { trackTwilioBlock } from './inbound/twilio-block';

export { PROCESSING_LEASE_MS } from './inbound/claim';
export type { InboundSms, Reply } from './inbound/job';

/** What the webhook did; Twilio gets the same empty TwiML for every outcome (replies go through the send path). */
export type InboundSmsOutcome =
  | { kind: 'unknown_number' }
  /** The SID was handled already, or another delivery of it is being handled right now. */
  | { kind: 'duplicate' }
  | { kind: 'opted_out'; optOutId: string; reply: Reply }
  | { kind: 'already_opted_out'; reply?: Reply }
  | { kind: 'opted_in'; consentEventId: string; reply?: Reply }
  | { kind: 'help'; reply: Reply }
  | { kind: 'forwarded'; forwardId: string };

/** Logs where Twilio's `OptOutType` and ConsentLine's reading disagree (the stricter one is acted on). */
export type InboundObserver = { mismatch?(detail: { messageSid: string; mismatch: string }): void };

/**
 * Handles a text a contact sent to an agent's number (RULES §2), in this order:
 * 1. the agent is found by the number texted (remembered for the life of a warm Lambda); an
 *    unknown number changes nothing;
 * 2. the text is read: ConsentLine's classification, and what Twilio did with it itself
 *    (`OptOutType`, or its single-keyword rule) — the stricter reading is acted on;
 * 3. the message is logged under `inbound_<MessageSid>` with one conditional write, so a
 *    redelivery of the same SID has no further effect (one that failed midway is taken over);
 *    an opt-out or revocation does it in the one transaction that also writes the agent's
 *    revocation, the phone's global opt-out and the confirmation (`inbound/opt-out.ts`: three
 *    DynamoDB round trips on a warm Lambda);
 * 4. START/UNSTOP/YES records express written consent for this agent only; HELP is answered;
 *    anything else is forwarded to the agent's own phone. Twilio's block list for this agent's
 *    sender follows the keywords Twilio handled;
 * 5. exactly one reply reaches the phone: none of ConsentLine's when Twilio answered already.
 *
 * Every reply is a message record put on the send queue: the send worker runs the gate and is
 * the only caller of Twilio. The inbound record's `repliedBy` says who answered.
 */
export async function receiveInboundSms(
  deps: Deps,
  sms: InboundSms,
  observer: InboundObserver = {},
): Promise<InboundSmsOutcome> {
  const agent = await deps.stores.agents.senderAgent(sms.to);
  if (agent === undefined) return { kind: 'unknown_number' };

  const reading = readInbound(sms.body, sms.optOutType);
  if (reading.mismatch) observer.mismatch?.({ messageSid: sms.messageSid, mismatch: reading.mismatch });
  // An opt-out logs the text in the same transaction that makes it durable.
  if (reading.act === 'opt_out' || reading.act === 'revocation')
    return receiveOptOut(deps, agent, sms, reading);

  const claim = await claimInbound(deps, agent, sms);
  if (claim === undefined) return { kind: 'duplicate' };
  const job: InboundJob = {
    deps,
    agent,
    sms,
    reading,
    receivedAt: sms.receivedAt ?? claim.createdAt,
    recovering: claim.recovering,
  };
  try {
    const [outcome] = await Promise.all([respond(job, reading.act), trackTwilioBlock(job)]);
    await finishInbound(
      deps,
      claim,
      'handled',
      [describeHandling(reading, outcome.kind)],
      repliedBy(outcome),
    );
    return outcome;
  } catch (error) {
    // Best effort: if even this fails the claim expires after the lease and a retry takes it over.
    await finishInbound(deps, claim, 'interrupted', [`processing failed: ${String(error)}`]).catch(
      () => undefined,
    );
    throw error;
  }
}

async function respond(
  job: InboundJob,
  act: Exclude<InboundReading['act'], 'opt_out' | 'revocation'>,
): Promise<InboundSmsOutcome> {
  switch (act) {
    case 'opt_in':
      return { kind: 'opted_in', ...(await optIn(job)) };
    case 'help':
      return { kind: 'help', ...(await help(job)) };
    case 'other':
      return { kind: 'forwarded', ...(await forward(job)) };
  }
}

function repliedBy(outcome: InboundSmsOutcome): string | undefined {
  const reply = 'reply' in outcome ? outcome.reply : undefined;
  if (reply === undefined) return undefined;
  return reply.by === 'twilio' ? 'twilio' : reply.messageId;
}
