import type { TwilioBlock } from '../../ports';
import type { InboundJob } from './job';
import { twilioSenderOf } from './job';

/**
 * Keeps ConsentLine's copy of Twilio's block list (https://help.twilio.com/articles/223134027):
 * a STOP Twilio handled blocks this agent's sender (or Messaging Service) for the phone; a START,
 * YES or UNSTOP Twilio handled lifts it. Nothing else — a consent logged by hand, a revocation
 * phrase — moves Twilio's list, so nothing else moves this one. Other agents' senders are not
 * touched: ConsentLine's global opt-out covers them.
 */
export async function trackTwilioBlock(job: InboundJob): Promise<void> {
  const block = twilioBlockOf(job);
  if (block !== undefined) await job.deps.stores.twilioBlocks.record(block);
}

/** The change to Twilio's block list this text makes, if Twilio handled it as a STOP or a START. */
export function twilioBlockOf(job: InboundJob): TwilioBlock | undefined {
  const kind = job.reading.twilio?.kind;
  if (kind !== 'opt_out' && kind !== 'opt_in') return undefined;
  return {
    sender: twilioSenderOf(job.agent),
    phone: job.sms.from,
    blocked: kind === 'opt_out',
    at: job.receivedAt,
    messageSid: job.sms.messageSid,
    words: job.sms.body,
  };
}
