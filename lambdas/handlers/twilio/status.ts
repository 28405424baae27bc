import * as z from 'zod';
import type { Deps } from '../../usecases/deps';
import { recordDeliveryStatus } from '../../usecases/delivery-status';
import type { HttpHandler } from '../http/middleware';
import { twiml, twilioLogger, twilioPhone, twilioSid, twilioWebhook } from './middleware';

/** The status callback fields we read. */
export const deliveryStatusParams = z.object({
  MessageSid: twilioSid,
  MessageStatus: z.string().regex(/^[a-z_]{1,32}$/, 'must be a Twilio message status'),
  ErrorCode: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a Twilio error code')
    .optional(),
  To: twilioPhone.optional(),
});

const messageIdParam = z.string().regex(/^msg_[0-9A-Za-z_-]{1,64}$/);

/**
 * `POST /twilio/status`: Twilio reports where a text we sent is. Unknown SIDs and stale or
 * repeated statuses are answered 200 and change nothing, so Twilio does not retry them.
 */
export const createTwilioStatusHandler = (deps: Deps): HttpHandler =>
  twilioWebhook(deps, { name: 'status', params: deliveryStatusParams }, async ({ params, event }) => {
    // Signed with the URL: the message the callback is about (absent on a URL without it).
    const messageId = messageIdParam.safeParse(event.queryStringParameters?.messageId);
    const outcome = await recordDeliveryStatus(deps, {
      messageSid: params.MessageSid,
      ...(messageId.success ? { messageId: messageId.data } : {}),
      status: params.MessageStatus,
      ...(params.ErrorCode === undefined ? {} : { errorCode: params.ErrorCode }),
      ...(params.To === undefined ? {} : { to: params.To }),
    });
    if (outcome.kind === 'unknown_message') {
      twilioLogger.warn('status callback for a SID we never stored', { messageSid: params.MessageSid });
    }
    return twiml();
  });
