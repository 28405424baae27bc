/**
 * The one wrapper every Twilio webhook uses: form parsing, the `X-Twilio-Signature` check, the
 * account check, validation and error mapping live here, so a webhook handler only maps the
 * form to a use case and the outcome to TwiML.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { verifyTwilioSignature, type TwilioFormParams } from '../../adapters/twilio/signature';
import type { Deps } from '../../usecases/deps';
import { asHttpError } from '../error-status';
import { HttpError } from '../http-error';
import { describeIssue, type HttpHandler } from '../http/middleware';

/** A webhook request that passed every check: signed by our account, fields validated. */
export type TwilioRequest<P> = { params: P; event: APIGatewayProxyEventV2 };

export type TwilioWebhookOptions<S extends z.ZodType> = {
  /** Names the webhook in logs. */
  name: string;
  /** The form fields the webhook reads; other fields Twilio sends are ignored (but signed). */
  params: S;
  /** Largest accepted body in bytes; Twilio's forms are a few KiB (a body is ≤ 1600 characters). */
  maxBodyBytes?: number;
};

export const DEFAULT_MAX_TWILIO_BODY_BYTES = 64 * 1024;

/** Logs of the Twilio webhooks. */
export const twilioLogger = new Logger({ serviceName: 'consentline-twilio' });

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;.*)?$/i;

/** E.164, as Twilio sends numbers. */
export const twilioPhone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number');

/** A Twilio resource SID: two letters and 32 hex digits (`SM…`, `CA…`). */
export const twilioSid = z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/i, 'must be a Twilio SID');

/**
 * Wraps a Twilio webhook in middy. Before `fn` runs:
 * 1. the form is parsed (API Gateway may hand it over base64-encoded);
 * 2. `X-Twilio-Signature` must be Twilio's signature of `config.publicBaseUrl` + the path and
 *    query, and the form, under `config.twilioAuthToken` — else 403 and nothing happens;
 * 3. `AccountSid` must be `config.twilioAccountSid` — else 403;
 * 4. the fields are validated — a signed but malformed form is a 400.
 *
 * `fn` returns TwiML, answered as `text/xml`. Errors: `HttpError` → its status; anything else
 * → 500 (logged), so Twilio retries only when something real failed.
 *
 * @example
 * export const createTwilioVoiceHandler = (deps: Deps) =>
 *   twilioWebhook(deps, { name: 'voice', params: voiceParams }, async ({ params }) => twiml('<Reject/>'));
 */
export function twilioWebhook<S extends z.ZodType>(
  deps: Deps,
  options: TwilioWebhookOptions<S>,
  fn: (request: TwilioRequest<z.output<S>>) => Promise<string>,
): HttpHandler {
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .use(twilioErrors({ name: options.name }))
    .handler(async (event) => {
      const form = readForm(event, options.maxBodyBytes ?? DEFAULT_MAX_TWILIO_BODY_BYTES);
      verifySignature(deps, event, form);
      if (form.AccountSid !== deps.config.twilioAccountSid) {
        throw new HttpError(403, 'forbidden', 'AccountSid is not this account');
      }
      // A field sent twice stays an array, which a string field refuses: 400.
      const params = validate(options.params, form);
      return twimlResponse(200, await fn({ params, event }));
    });
  return (event, context) => handler(event, context);
}

/** A TwiML document of `verbs` (already XML). */
export function twiml(...verbs: string[]): string {
  const content = verbs.join('');
  return `<?xml version="1.0" encoding="UTF-8"?>${content === '' ? '<Response/>' : `<Response>${content}</Response>`}`;
}

/** Text safe inside a TwiML element or attribute. */
export function escapeXml(text: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&apos;',
  };
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

function twimlResponse(status: number, body: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'text/xml; charset=utf-8' }, body };
}

// ---------- middleware ----------

type TwilioRequestState = Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/**
 * Maps errors to plain-text answers Twilio shows in its debugger. Only unexpected errors (a
 * table unreachable, a bug) are 500s: Twilio retries those, and the use cases are idempotent.
 */
function twilioErrors(opts: {
  name: string;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const { name } = { ...opts };
  const onError = (request: TwilioRequestState): void => {
    const error = asHttpError(request.error);
    if (error !== undefined) {
      twilioLogger.warn('Twilio webhook refused', {
        webhook: name,
        status: error.status,
        reason: error.message,
      });
      request.response = textResponse(error.status, error.message);
      return;
    }
    twilioLogger.error('unhandled error in Twilio webhook', {
      webhook: name,
      error: request.error ?? undefined,
      requestId: request.event.requestContext?.requestId,
    });
    request.response = textResponse(500, 'internal error; it has been logged');
  };
  return { name: 'twilioErrors', onError };
}

function textResponse(status: number, message: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message };
}

// ---------- steps ----------

/** The form fields; a field sent more than once keeps every value, as Twilio signs them. */
function readForm(event: APIGatewayProxyEventV2, maxBytes: number): Record<string, string | string[]> {
  const contentType = event.headers?.['content-type'];
  if (contentType !== undefined && !FORM_CONTENT_TYPE.test(contentType)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'Twilio webhooks are application/x-www-form-urlencoded',
    );
  }
  const raw = event.body ?? '';
  // Measured before decoding: base64 inflates by 4/3.
  const bytes = event.isBase64Encoded ? Buffer.byteLength(raw, 'base64') : Buffer.byteLength(raw, 'utf8');
  if (bytes > maxBytes)
    throw new HttpError(413, 'payload_too_large', `body is ${bytes} bytes; the limit is ${maxBytes}`);
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  // No prototype: a field named `__proto__` or `constructor` is data, never Object's own.
  const form = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = form[key];
    form[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return form;
}

/**
 * Twilio signs the URL it was configured with, so the check uses our public base URL, not the
 * host API Gateway saw (a custom domain or the local runtime's address would differ).
 */
function verifySignature(deps: Deps, event: APIGatewayProxyEventV2, form: TwilioFormParams): void {
  // An empty token would make any HMAC "valid" under an empty key: never verify without one.
  if (deps.config.twilioAuthToken === '') {
    throw new HttpError(403, 'forbidden', 'this function holds no Twilio auth token to verify with');
  }
  const base = deps.config.publicBaseUrl.replace(/\/+$/, '');
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const valid = verifyTwilioSignature({
    authToken: deps.config.twilioAuthToken,
    url: `${base}${event.rawPath}${query}`,
    params: form,
    signature: event.headers?.['x-twilio-signature'],
  });
  if (!valid) throw new HttpError(403, 'forbidden', 'X-Twilio-Signature is missing or does not match');
}

function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => describeIssue('form', issue));
  throw new HttpError(
    400,
    'invalid_request',
    issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
  );
}
