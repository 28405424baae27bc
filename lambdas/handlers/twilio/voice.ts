import * as z from 'zod';
import { routeInboundCall } from '../../usecases/inbound-voice';
import { escapeXml, twiml, twilioPhone, twilioSid } from './middleware';
import { defineWebhook } from './route';

/** The inbound call fields we read. `From` may be withheld ("anonymous"), so it is not required. */
export const inboundCallParams = z.object({
  CallSid: twilioSid,
  To: twilioPhone,
});

/** `POST /twilio/voice`: a call to an agent's number is dialled through to the agent's own phone. */
export const twilioVoiceRoute = /* @__PURE__ */ defineWebhook({
  key: 'twilio.voice',
  path: '/twilio/voice',
  summary: 'Twilio webhook: a call to an agent’s number, dialled through to the agent',
  name: 'voice',
  form: inboundCallParams,
  responses: {
    200: {
      description: 'TwiML `<Dial>` to the agent’s own phone, or `<Reject/>` for a number no agent holds',
      schema: z.string().meta({ examples: [twiml('<Dial>+12125550123</Dial>'), twiml('<Reject/>')] }),
      mediaType: 'text/xml',
    },
  },
  access: { reads: ['agents'], writes: [], secrets: ['twilio'] },
  handle: async (deps, { params }) => {
    const route = await routeInboundCall(deps, { to: params.To });
    return route.action === 'dial' ? twiml(`<Dial>${escapeXml(route.forwardTo)}</Dial>`) : twiml('<Reject/>');
  },
});

/** The voice webhook's handler for `deps`. */
export const createTwilioVoiceHandler = twilioVoiceRoute.create;
