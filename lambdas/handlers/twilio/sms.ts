import type { Deps } from '../../usecases/deps';
import { receiveInboundSms } from '../../usecases/inbound-sms';
import type { HttpHandler } from '../http/middleware';
import { allTables } from '../route';
import { twiml, twilioLogger, twilioWebhook } from './middleware';
import { emptyTwiml } from './responses';
import { defineWebhook } from './route';
import { inboundSmsParams, type InboundSmsParams } from './sms-params';

export { inboundSmsParams } from './sms-params';

/**
 * `POST /twilio/sms`: a contact texted an agent's number. Answers empty TwiML whatever the text
 * said: replies are queued on the send path, where the gate checks them like any other text, and
 * none is queued for a keyword Twilio answered itself.
 */
export const twilioSmsRoute = /* @__PURE__ */ defineWebhook({
  key: 'twilio.sms',
  path: '/twilio/sms',
  summary: 'Twilio webhook: a contact texted an agent’s number (STOP, HELP, YES, replies)',
  name: 'sms',
  form: inboundSmsParams,
  responses: {
    200: {
      description: 'empty TwiML: any reply is queued on the send path and gated like any text',
      schema: emptyTwiml,
      mediaType: 'text/xml',
    },
  },
  // STOP/START/HELP, forwarding, and the replies it queues
  access: {
    reads: allTables,
    writes: ['contacts', 'ledger', 'messages', 'counters'],
    secrets: ['twilio'],
    enqueues: true,
  },
  handle: (deps, { params }) => receive(deps, params),
});

/**
 * The inbound SMS webhook's handler for `deps`. The fallback processor replays a capture with
 * `replay.receivedAt`: the text is dated by when it was captured.
 */
export const createTwilioSmsHandler = (deps: Deps, replay: { receivedAt?: string } = {}): HttpHandler =>
  replay.receivedAt === undefined
    ? twilioSmsRoute.create(deps)
    : twilioWebhook(deps, { name: 'sms-fallback', params: inboundSmsParams }, ({ params }) =>
        receive(deps, params, replay.receivedAt),
      );

async function receive(deps: Deps, params: InboundSmsParams, receivedAt?: string): Promise<string> {
  const outcome = await receiveInboundSms(
    deps,
    {
      messageSid: params.MessageSid,
      from: params.From,
      to: params.To,
      body: params.Body,
      ...(params.OptOutType === undefined ? {} : { optOutType: params.OptOutType }),
      ...(receivedAt === undefined ? {} : { receivedAt }),
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
}
