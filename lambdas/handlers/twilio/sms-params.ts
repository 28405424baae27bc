import * as z from 'zod';
import { twilioPhone, twilioSid } from './middleware';

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

export type InboundSmsParams = z.output<typeof inboundSmsParams>;
