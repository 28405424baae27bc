import * as z from 'zod';
import type { Deps } from '../../usecases/deps';
import { receiveInboundSms } from '../../usecases/inbound-sms';
import type { HttpHandler } from '../http/middleware';
import { twiml, twilioLogger, twilioPhone, twilioSid, twilioWebhook } from './middleware';

/** The inbound SMS form fields we read (Twilio sends many more; all of them are signed). */
export const inboundSmsParams = z.object({
  MessageSid: twilioSid,
  From: twilioPhone,
  To: twilioPhone,
  // Bounded well above Twilio's 1600 characters; a picture-only message has an empty body.
  Body: z.string().max(5000),
});

/**
 * `POST /twilio/sms`: a contact texted an agent's number. Answers empty TwiML whatever the text
 * said: replies are queued on the send path, where the gate checks them like any other text.
 */
export const createTwilioSmsHandler = (deps: Deps): HttpHandler =>
  twilioWebhook(deps, { name: 'sms', params: inboundSmsParams }, async ({ params }) => {
    const outcome = await receiveInboundSms(deps, {
      messageSid: params.MessageSid,
      from: params.From,
      to: params.To,
      body: params.Body,
    });
    if (outcome.kind === 'unknown_number') {
      twilioLogger.warn('inbound text to a number no agent holds', {
        to: params.To,
        messageSid: params.MessageSid,
      });
    } else {
      twilioLogger.info('inbound text handled', { messageSid: params.MessageSid, outcome });
    }
    return twiml();
  });
