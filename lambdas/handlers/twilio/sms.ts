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
  // Advanced Opt-Out on a Messaging Service: Twilio handled the text as this keyword type and replied.
  OptOutType: z
    .string()
    .regex(/^[A-Za-z_]{1,32}$/, 'must be a Twilio OptOutType')
    .optional(),
});

/**
 * `POST /twilio/sms`: a contact texted an agent's number. Answers empty TwiML whatever the text
 * said: replies are queued on the send path, where the gate checks them like any other text, and
 * none is queued for a keyword Twilio answered itself.
 */
export const createTwilioSmsHandler = (deps: Deps): HttpHandler =>
  twilioWebhook(deps, { name: 'sms', params: inboundSmsParams }, async ({ params }) => {
    const outcome = await receiveInboundSms(
      deps,
      {
        messageSid: params.MessageSid,
        from: params.From,
        to: params.To,
        body: params.Body,
        ...(params.OptOutType === undefined ? {} : { optOutType: params.OptOutType }),
      },
      {
        mismatch: (detail) => twilioLogger.warn('OptOutType and ConsentLine disagree', detail),
      },
    );
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
