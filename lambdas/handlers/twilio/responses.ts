/** Responses the Twilio webhooks document alike. */
import * as z from 'zod';
import type { DocumentedResponse } from '../route';
import { twiml } from './middleware';

// Twilio shows these plain-text answers in its debugger; it retries only a 500.
const plainText = (description: string): DocumentedResponse => ({
  description,
  schema: z.string(),
  mediaType: 'text/plain',
});

/** What `twilioWebhook` answers before the handler runs, or when it fails. */
export const twilioRefusals = {
  400: plainText('signed but malformed form; the text names the field'),
  403: plainText('X-Twilio-Signature missing or wrong, or AccountSid is not this account'),
  413: plainText('body too large'),
  415: plainText('not application/x-www-form-urlencoded'),
  500: plainText('unexpected failure, logged; Twilio retries and the use case is idempotent'),
};

/** An empty TwiML answer: nothing for Twilio to do. */
export const emptyTwiml = z.string().meta({ examples: [twiml()] });
