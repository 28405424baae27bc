import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Route } from '../route';
import { twiml, twilioLogger } from './middleware';
import { emptyTwiml } from './responses';
import { inboundSmsParams } from './sms-params';

const KEPT_HEADERS = ['x-twilio-signature', 'content-type', 'i-twilio-idempotency-token'];

/**
 * `POST /twilio/sms-fallback`, the number's "Primary handler fails" URL: Twilio calls it when
 * the inbound SMS webhook failed even after its retries. It only stores the signed request as
 * received — no DynamoDB, no signature check, nothing that failed on the primary path — and
 * answers 200 once the queue has it. The fallback processor verifies the signature against this
 * URL and replays it through the inbound use case. A 500 (the queue refused) makes Twilio retry
 * as the URL's connection overrides ask.
 */
export const twilioSmsFallbackRoute: Route<'twilio.sms-fallback'> = {
  key: 'twilio.sms-fallback',
  method: 'POST',
  path: '/twilio/sms-fallback',
  summary:
    'Twilio Fallback URL of the inbound SMS webhook: the signed request is queued as received and applied by the fallback processor',
  // Signed like the primary; the processor checks the signature and the form when it applies it.
  auth: 'twilio-signature',
  form: inboundSmsParams,
  responses: {
    200: {
      description: 'empty TwiML once the request is durably queued',
      schema: emptyTwiml,
      mediaType: 'text/xml',
    },
    500: { description: 'the queue refused it: Twilio retries as the URL’s connection overrides ask' },
  },
  // Only queues what Twilio sent: no table, no secret
  access: { reads: [], writes: [], captures: true },
  create: (deps) => async (event: APIGatewayProxyEventV2) => {
    if (deps.inboundCapture === undefined)
      throw new Error('the SMS fallback route needs an inbound capture queue');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      if (value !== undefined && KEPT_HEADERS.includes(name.toLowerCase()))
        headers[name.toLowerCase()] = value;
    }
    try {
      await deps.inboundCapture.capture({
        rawPath: event.rawPath,
        rawQueryString: event.rawQueryString ?? '',
        body: event.body ?? '',
        isBase64Encoded: event.isBase64Encoded ?? false,
        headers,
        receivedAt: deps.clock.now().toISOString(),
      });
    } catch (error) {
      twilioLogger.error('fallback capture failed; Twilio retries', { error: error as Error });
      return { statusCode: 500, headers: { 'content-type': 'text/plain' }, body: 'capture failed' };
    }
    return { statusCode: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: twiml() };
  },
};

/** The Fallback URL's handler for `deps`. */
export const createTwilioSmsFallbackHandler = twilioSmsFallbackRoute.create;
