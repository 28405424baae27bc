import * as z from 'zod';
import type { Deps } from '../../usecases/deps';
import { routeInboundCall } from '../../usecases/inbound-voice';
import type { HttpHandler } from '../http/middleware';
import { escapeXml, twiml, twilioPhone, twilioSid, twilioWebhook } from './middleware';

/** The inbound call fields we read. `From` may be withheld ("anonymous"), so it is not required. */
export const inboundCallParams = z.object({
  CallSid: twilioSid,
  To: twilioPhone,
});

/** `POST /twilio/voice`: a call to an agent's number is dialled through to the agent's own phone. */
export const createTwilioVoiceHandler = (deps: Deps): HttpHandler =>
  twilioWebhook(deps, { name: 'voice', params: inboundCallParams }, async ({ params }) => {
    const route = await routeInboundCall(deps, { to: params.To });
    return route.action === 'dial' ? twiml(`<Dial>${escapeXml(route.forwardTo)}</Dial>`) : twiml('<Reject/>');
  });
