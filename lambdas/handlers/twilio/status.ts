import * as z from 'zod';
import { recordDeliveryStatus } from '../../usecases/delivery-status';
import { allTables } from '../route';
import { twiml, twilioLogger, twilioPhone, twilioSid } from './middleware';
import { emptyTwiml } from './responses';
import { defineWebhook } from './route';

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
export const twilioStatusRoute = /* @__PURE__ */ defineWebhook({
  key: 'twilio.status',
  path: '/twilio/status',
  summary: 'Twilio webhook: the delivery status of a text we sent',
  name: 'status',
  form: deliveryStatusParams,
  responses: {
    200: {
      description: 'empty TwiML, also for unknown SIDs and stale statuses, so Twilio does not retry',
      schema: emptyTwiml,
      mediaType: 'text/xml',
    },
  },
  // 21610 → global opt-out, and the cadence it ends
  access: { reads: allTables, writes: ['messages', 'ledger', 'counters', 'contacts'], secrets: ['twilio'] },
  handle: async (deps, { params, event }) => {
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
  },
});

/** The status webhook's handler for `deps`. */
export const createTwilioStatusHandler = twilioStatusRoute.create;
