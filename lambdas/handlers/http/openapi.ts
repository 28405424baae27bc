/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of every route the API serves — the agent/admin
 * API and the Twilio webhooks — generated from the same zod schemas that parse requests, so the
 * document cannot drift from what the handlers accept.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import * as z from 'zod';
import { checkedCadenceBody } from '../../compliance/cadence-content';
import type { Deps } from '../../usecases/deps';
import { twiml } from '../twilio/middleware';
import { inboundSmsParams } from '../twilio/sms';
import { deliveryStatusParams } from '../twilio/status';
import { inboundCallParams } from '../twilio/voice';
import { auditConsentQuery, auditMessagesQuery } from './audit';
import {
  blackoutListQuery,
  blackoutEndedResponse,
  blackoutListResponse,
  blackoutPath,
  blackoutResponse,
  declareBlackoutBody,
  endBlackoutBody,
} from './blackouts';
import { editMessageBody } from './enroll';
import { messageAcceptedResponse, messagePath, newMessageBody } from './messages';
import * as messageResponses from './message-responses';
import { httpHandler, type AuthMode, type HttpHandler } from './middleware';
import * as schemas from './schemas';
import { timeResponse } from './time';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Who may call a documented route: an API key mode, or Twilio proving a webhook with its signature. */
export type DocumentedAuth = AuthMode | 'twilio-signature';

/** One documented response; `mediaType` defaults to JSON. */
export type DocumentedResponse = { description: string; schema?: z.ZodType; mediaType?: string };

/** One documented route; `handler` is its key in `httpHandlers` (../routes.ts). */
export type DocumentedOperation = {
  method: Method;
  path: string;
  handler: string;
  summary: string;
  auth: DocumentedAuth;
  /** A JSON request body. */
  body?: z.ZodType;
  /** An `application/x-www-form-urlencoded` request body: the fields read (others are ignored). */
  form?: z.ZodType;
  query?: z.ZodObject;
  pathParams?: z.ZodObject;
  responses: Record<number, DocumentedResponse>;
};

const JSON_MEDIA = 'application/json';
const FORM_MEDIA = 'application/x-www-form-urlencoded';

const authErrors = {
  401: { description: 'missing or unknown API key', schema: schemas.errorResponse },
  403: { description: 'the key may not use this route', schema: schemas.errorResponse },
};
const errors = {
  400: { description: 'invalid input; the message names the field', schema: schemas.errorResponse },
  ...authErrors,
};
const notFound = { description: 'not found (or another agent’s)', schema: schemas.errorResponse };
const refusal = (description: string) => ({ description, schema: schemas.errorResponse });

// Twilio shows these plain-text answers in its debugger; it retries only a 500.
const plainText = (description: string): DocumentedResponse => ({
  description,
  schema: z.string(),
  mediaType: 'text/plain',
});
const twilioRefusals = {
  400: plainText('signed but malformed form; the text names the field'),
  403: plainText('X-Twilio-Signature missing or wrong, or AccountSid is not this account'),
  413: plainText('body too large'),
  415: plainText('not application/x-www-form-urlencoded'),
  500: plainText('unexpected failure, logged; Twilio retries and the use case is idempotent'),
};
const emptyTwiml = z.string().meta({ examples: [twiml()] });

/** Every route of `httpRoutes` (../routes.ts), as documented. */
export const documentedOperations: DocumentedOperation[] = [
  {
    method: 'POST',
    path: '/v1/agents',
    handler: 'agents.create',
    summary: 'Create an agent; the API key is shown once',
    auth: 'admin',
    body: schemas.newAgentBody,
    responses: {
      201: { description: 'created', schema: schemas.agentCreatedResponse },
      ...errors,
      409: { description: 'the sender number belongs to another agent', schema: schemas.errorResponse },
    },
  },
  {
    method: 'POST',
    path: '/v1/agents/{agentId}/suspend',
    handler: 'agents.suspend',
    summary: 'Suspend an agent with a reason: every write is refused, every pending text blocked',
    auth: 'admin',
    pathParams: schemas.agentPath,
    body: schemas.suspendBody,
    responses: { 200: { description: 'suspended', schema: schemas.agentResponse }, ...errors, 404: notFound },
  },
  {
    method: 'POST',
    path: '/v1/agents/{agentId}/resume',
    handler: 'agents.resume',
    summary: 'Lift an agent’s suspension',
    auth: 'admin',
    pathParams: schemas.agentPath,
    responses: { 200: { description: 'resumed', schema: schemas.agentResponse }, ...errors, 404: notFound },
  },
  {
    method: 'PUT',
    path: '/v1/contacts/{phone}',
    handler: 'contacts.put',
    summary: 'Create or update a contact (never its consent)',
    auth: 'agent',
    pathParams: schemas.contactPath,
    body: schemas.contactBody,
    responses: {
      200: { description: 'updated', schema: schemas.contactResponse },
      201: { description: 'created', schema: schemas.contactResponse },
      ...errors,
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{phone}',
    handler: 'contacts.get',
    summary: 'A contact and what its consent allows now',
    auth: 'agent',
    pathParams: schemas.contactPath,
    responses: {
      200: { description: 'the contact', schema: schemas.contactWithConsentResponse },
      ...errors,
      404: notFound,
    },
  },
  {
    method: 'POST',
    path: '/v1/contacts/{phone}/consent',
    handler: 'consent.append',
    summary: 'Log a consent event (express written, EBR, revocation)',
    auth: 'agent',
    pathParams: schemas.contactPath,
    body: schemas.consentBody,
    responses: {
      201: { description: 'appended to the ledger', schema: schemas.consentAppendedResponse },
      ...errors,
      404: notFound,
      422: { description: 'the method is not consent; the message says why', schema: schemas.errorResponse },
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{phone}/consent',
    handler: 'consent.history',
    summary: 'Derived consent status and full history, oldest first',
    auth: 'agent',
    pathParams: schemas.contactPath,
    responses: {
      200: { description: 'the history', schema: schemas.consentHistoryResponse },
      ...errors,
      404: notFound,
    },
  },
  {
    method: 'POST',
    path: '/v1/contacts/{phone}/enroll',
    handler: 'enroll.create',
    summary: 'Start the drip cadence: the opt-in text is queued, every step scheduled',
    auth: 'agent',
    pathParams: schemas.contactPath,
    responses: {
      201: {
        description:
          'enrolled: `{enrollment, optInRequest, steps, skipped}`, each text a message record; `skipped`: steps whose moment had passed (a closing long ago), each with why',
        schema: messageResponses.enrollmentStartedResponse,
      },
      ...errors,
      404: notFound,
      409: refusal('`already_enrolled`: unenroll first to restart'),
      422: refusal(
        '`consent_required`: no express written SMS consent; the message says why. `nothing_to_send`: every step counts from a closing whose moments have all passed',
      ),
    },
  },
  {
    method: 'DELETE',
    path: '/v1/contacts/{phone}/enroll',
    handler: 'enroll.delete',
    summary: 'Stop the drip cadence; texts not yet handed to Twilio are cancelled',
    auth: 'agent',
    pathParams: schemas.contactPath,
    responses: {
      200: { description: 'stopped: `{enrollment, cancelled}` (how many texts were cancelled)' },
      ...errors,
      404: notFound,
      409: refusal('`not_enrolled`: the contact has no active enrollment'),
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{phone}/messages',
    handler: 'contacts.messages',
    summary: 'Every message of a contact; upcoming steps carry the gate’s predicted verdict',
    auth: 'agent',
    pathParams: schemas.contactPath,
    responses: {
      200: {
        description:
          '`{phone, enrollment?, messages, skipped}`; a scheduled step has `predicted`: the gate’s verdict at its due time on what is on record now; `skipped`: steps the enrollment left out because their moment had passed, each with why',
        schema: messageResponses.contactMessagesResponse,
      },
      ...errors,
      404: notFound,
    },
  },
  {
    method: 'PUT',
    path: '/v1/messages/{id}',
    handler: 'messages.edit',
    summary: 'Edit the text of a scheduled cadence step',
    auth: 'agent',
    pathParams: messagePath,
    body: editMessageBody,
    responses: {
      200: {
        description:
          'edited: `{message, final: {body, characters, segments, encoding}, content}`: the text exactly as it will leave (sender prefix and opt-out footer added, placeholders filled) and its content analysis',
        schema: messageResponses.messageEditedResponse,
      },
      ...errors,
      404: notFound,
      409: refusal('`not_editable`: only scheduled steps can be edited'),
      422: refusal(
        '`invalid_body` (1–1,600 characters once prefix and footer are added), `unknown_placeholder` or `url_shortener`',
      ),
    },
  },
  {
    method: 'GET',
    path: '/v1/cadence',
    handler: 'cadence.get',
    summary: 'The cadence new enrollments of this account get',
    auth: 'agent',
    responses: {
      200: {
        description: '`{custom, cadence}`: the account’s own cadence, or the default (`custom: false`)',
      },
      ...authErrors,
    },
  },
  {
    method: 'PUT',
    path: '/v1/cadence',
    handler: 'cadence.put',
    summary: 'Replace the account’s cadence for new enrollments; version and source are assigned',
    auth: 'agent',
    body: checkedCadenceBody,
    responses: {
      200: { description: '`{custom: true, cadence}`: the saved cadence with its new version' },
      ...errors,
    },
  },
  {
    method: 'POST',
    path: '/v1/imports',
    handler: 'imports.create',
    summary: 'Import up to 1,000 contacts; consent only with full per-row evidence',
    auth: 'agent',
    body: schemas.importBodyDocumented,
    responses: { 200: { description: 'per-row results', schema: schemas.importResponse }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/ledger/verify',
    handler: 'ledger.verify',
    summary: 'Re-hash the consent ledger chain(s) of a phone',
    auth: 'agent_or_admin',
    query: schemas.verifyQuery,
    responses: { 200: { description: 'verification', schema: schemas.verificationResponse }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/messages',
    handler: 'messages.create',
    summary:
      'Send a one-to-one text; the gate answers at once (a suspended agent gets 403 `agent_suspended`)',
    auth: 'agent',
    body: newMessageBody,
    responses: {
      202: {
        description: '`send` (queued; checked again before Twilio), `hold` (until `releaseAt`) or `block`',
        schema: messageAcceptedResponse,
      },
      ...errors,
    },
  },
  {
    method: 'GET',
    path: '/v1/messages/{id}',
    handler: 'messages.get',
    summary: 'A message with its full status history and compliance receipt',
    auth: 'agent',
    pathParams: messagePath,
    responses: {
      200: {
        description: 'the message record: body, status, history, receipt',
        schema: messageResponses.messageResponse,
      },
      ...errors,
      404: notFound,
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi.get',
    summary: 'This document',
    auth: 'none',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  {
    method: 'GET',
    path: '/v1/audit/messages',
    handler: 'audit.messages',
    summary: 'Audit export: an agent’s complete message log, oldest first, page by page',
    auth: 'agent_or_admin',
    query: auditMessagesQuery,
    responses: {
      200: {
        description:
          '`{agentId, phone?, from, to, items, cursor?}`: message records with body, receipt and status history; follow `cursor` until it is absent',
        schema: messageResponses.messageAuditPageResponse,
      },
      ...errors,
      409: refusal('`listing_changed`: the log changed under the cursor; restart from the first page'),
      404: refusal('`not_found`: no such agent'),
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/phones/{phone}',
    handler: 'audit.phone',
    summary: 'Audit export: every agent’s consent chain of a phone and every global opt-out',
    auth: 'admin',
    pathParams: schemas.contactPath,
    responses: {
      200: { description: '`{phone, chains, optOuts}`; each chain with its events and hash verification' },
      ...errors,
    },
  },
  {
    method: 'POST',
    path: '/twilio/sms',
    handler: 'twilio.sms',
    summary: 'Twilio webhook: a contact texted an agent’s number (STOP, HELP, YES, replies)',
    auth: 'twilio-signature',
    form: inboundSmsParams,
    responses: {
      200: {
        description: 'empty TwiML: any reply is queued on the send path and gated like any text',
        schema: emptyTwiml,
        mediaType: 'text/xml',
      },
      ...twilioRefusals,
    },
  },
  {
    method: 'POST',
    path: '/twilio/sms-fallback',
    handler: 'twilio.sms-fallback',
    summary:
      'Twilio Fallback URL of the inbound SMS webhook: the signed request is queued as received and applied by the fallback processor',
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
  },
  {
    method: 'POST',
    path: '/twilio/status',
    handler: 'twilio.status',
    summary: 'Twilio webhook: the delivery status of a text we sent',
    auth: 'twilio-signature',
    form: deliveryStatusParams,
    responses: {
      200: {
        description: 'empty TwiML, also for unknown SIDs and stale statuses, so Twilio does not retry',
        schema: emptyTwiml,
        mediaType: 'text/xml',
      },
      ...twilioRefusals,
    },
  },
  {
    method: 'POST',
    path: '/twilio/voice',
    handler: 'twilio.voice',
    summary: 'Twilio webhook: a call to an agent’s number, dialled through to the agent',
    auth: 'twilio-signature',
    form: inboundCallParams,
    responses: {
      200: {
        description: 'TwiML `<Dial>` to the agent’s own phone, or `<Reject/>` for a number no agent holds',
        schema: z.string().meta({ examples: [twiml('<Dial>+12125550123</Dial>'), twiml('<Reject/>')] }),
        mediaType: 'text/xml',
      },
      ...twilioRefusals,
    },
  },
  {
    method: 'POST',
    path: '/v1/contacts/{phone}/consent-request',
    handler: 'consent.request',
    summary: 'Send one manual text asking for written consent; the YES reply is express written consent',
    auth: 'agent',
    pathParams: schemas.contactPath,
    responses: {
      202: {
        description: 'the gate’s verdict and receipt for the request text, and the request recorded',
        schema: messageAcceptedResponse.extend({
          consentRequest: z.object({
            messageId: z.string(),
            sentAt: z.string(),
            blocked: z.boolean().optional(),
          }),
        }),
      },
      ...errors,
      404: notFound,
      409: refusal(
        '`consent_request_refused`: no oral consent or open EBR, a later opt-out, or a request within 30 days; the message says why',
      ),
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts',
    handler: 'contacts.list',
    summary: 'The agent’s contacts, each with its consent; search by name or phone, filter by badge',
    auth: 'agent',
    query: schemas.contactListQuery,
    responses: {
      200: { description: 'a page; follow `nextCursor` until absent', schema: schemas.contactListResponse },
      ...errors,
    },
  },
  {
    method: 'GET',
    path: '/v1/time',
    handler: 'time.get',
    summary: 'The API clock: what "now" means for every request (a test clock locally)',
    auth: 'none',
    responses: { 200: { description: 'the time', schema: timeResponse } },
  },
  {
    method: 'POST',
    path: '/v1/agents/{agentId}/keys/rotate',
    handler: 'agents.rotate-key',
    summary: 'Issue an agent a new API key (shown once); the old one works for the overlap chosen (≤ 24 h)',
    auth: 'admin',
    pathParams: schemas.agentPath,
    body: schemas.rotateKeyBody,
    responses: {
      200: { description: 'rotated', schema: schemas.keyRotatedResponse },
      ...errors,
      404: notFound,
    },
  },
  {
    method: 'POST',
    path: '/v1/agents/{agentId}/keys/revoke',
    handler: 'agents.revoke-keys',
    summary: 'Revoke every API key of an agent at once; each then gets 401',
    auth: 'admin',
    pathParams: schemas.agentPath,
    body: schemas.revokeKeysBody,
    responses: {
      200: { description: 'revoked', schema: schemas.keyEventResponse },
      ...errors,
      404: notFound,
    },
  },
  {
    method: 'GET',
    path: '/v1/agents/{agentId}/keys/events',
    handler: 'agents.key-events',
    summary: 'The agent’s key rotations and revocations: who, when, why',
    auth: 'admin',
    pathParams: schemas.agentPath,
    responses: {
      200: { description: 'oldest first', schema: schemas.keyEventsResponse },
      ...errors,
      404: notFound,
    },
  },
  {
    method: 'DELETE',
    path: '/v1/contacts/{phone}',
    handler: 'contacts.erase',
    summary:
      'Erase a contact’s name, address and notes at their request; the ledger, opt-outs and message log stay',
    auth: 'agent',
    pathParams: schemas.contactPath,
    body: schemas.eraseContactBody,
    responses: {
      200: { description: 'erased; the erasure is recorded', schema: schemas.contactErasureResponse },
      ...errors,
      404: notFound,
      409: refusal('`already_erased`: the contact was erased before (`erasedAt`); nothing written'),
    },
  },
  {
    method: 'GET',
    path: '/v1/agents',
    handler: 'agents.list',
    summary: 'Every agent of the brokerage (for the brokerage-wide audit export)',
    auth: 'admin',
    responses: { 200: { description: 'by id', schema: schemas.agentListResponse }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/audit/consent',
    handler: 'audit.consent',
    summary: 'Audit export: the consent events and opt-outs of an agent’s contacts, page by page',
    auth: 'agent_or_admin',
    query: auditConsentQuery,
    responses: {
      200: {
        description:
          '`{agentId, from, to, items, cursor?}`: consent events (`record: consent_event`) and global opt-outs (`record: opt_out`) with `at` in range; follow `cursor` until it is absent',
      },
      ...errors,
      404: refusal('`not_found`: no such agent'),
    },
  },
  {
    method: 'POST',
    path: '/v1/admin/blackouts',
    handler: 'blackouts.declare',
    summary:
      'Declare a state-of-emergency blackout: automated texts to recipients who may be in its states are held until it ends',
    auth: 'admin',
    body: declareBlackoutBody,
    responses: {
      201: { description: 'stored (put once, never changed)', schema: blackoutResponse },
      ...errors,
      422: refusal(
        '`invalid_blackout`: no state, an unknown state or territory code, end not after start or not in the future, a period over 60 days, or no reason; `issues` names each field; nothing is written',
      ),
    },
  },
  {
    method: 'GET',
    path: '/v1/admin/blackouts',
    handler: 'blackouts.list',
    summary: 'Every blackout: in force first, then those to come, then those over',
    auth: 'admin',
    query: blackoutListQuery,
    responses: { 200: { description: 'the blackouts', schema: blackoutListResponse }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/admin/blackouts/{id}/end',
    handler: 'blackouts.end',
    summary: 'End a blackout early, from now, with a reason (recorded next to the declaration, which stays)',
    auth: 'admin',
    pathParams: blackoutPath,
    body: endBlackoutBody,
    responses: {
      200: { description: 'ended; the texts it held are decided again', schema: blackoutEndedResponse },
      ...errors,
      404: refusal('`not_found`: no such blackout'),
      409: refusal('`already_ended` or `already_over`'),
      422: refusal('`invalid_blackout_end`: no reason; nothing is written'),
    },
  },
];

type JsonSchema = Record<string, unknown>;

/**
 * What the shared wrapper answers on every JSON route, whatever the handler: 413 and 415 on
 * every route, and 422 for control characters on routes that read a JSON body or a query.
 */
function withWrapperResponses(op: DocumentedOperation): Record<number, DocumentedResponse> {
  if (op.auth === 'twilio-signature') {
    return { 413: twilioRefusals[413], 415: twilioRefusals[415], ...op.responses };
  }
  const responses: Record<number, DocumentedResponse> = {
    413: refusal('`payload_too_large`: the body is over the limit (256 KiB; 10 MB at API Gateway)'),
    415: refusal(
      op.body === undefined
        ? '`unsupported_media_type`: a body was sent that is not `application/json`'
        : '`unsupported_media_type`: the body must be sent as `Content-Type: application/json`',
    ),
    ...op.responses,
  };
  const controls =
    '`control_character`: a text holds a control or direction-changing character (line breaks and tabs are allowed in a message body, notes and evidence); the message names the field';
  const existing = op.responses[422];
  if (op.body !== undefined || op.query !== undefined) {
    responses[422] =
      existing === undefined
        ? refusal(controls)
        : { ...existing, description: `${existing.description}; or ${controls}` };
  }
  return responses;
}

/**
 * Builds the OpenAPI 3.1 document (JSON Schema 2020-12 dialect) from the operations' schemas.
 * Request schemas are shown as clients write them (`io: 'input'`: defaults optional, phones as
 * text before normalisation).
 */
export function openApiDocument(opts: { serverUrl?: string } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of documentedOperations) {
    const operation: Record<string, unknown> = {
      operationId: op.handler.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase()),
      summary: op.summary,
      security: security(op.auth),
      'x-consentline-auth': op.auth,
      parameters: [...parameters(op.pathParams, 'path'), ...parameters(op.query, 'query')],
      responses: Object.fromEntries(
        Object.entries(withWrapperResponses(op)).map(([status, response]) => [
          status,
          response.schema === undefined
            ? { description: response.description }
            : {
                description: response.description,
                content: { [response.mediaType ?? JSON_MEDIA]: { schema: jsonSchema(response.schema) } },
              },
        ]),
      ),
    };
    if (op.body !== undefined) {
      operation.requestBody = { required: true, content: { [JSON_MEDIA]: { schema: jsonSchema(op.body) } } };
    }
    if (op.form !== undefined) {
      operation.requestBody = {
        required: true,
        description: 'the fields read; Twilio sends more, and all of them are signed',
        content: { [FORM_MEDIA]: { schema: jsonSchema(op.form) } },
      };
    }
    (paths[op.path] ??= {})[op.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ConsentLine API',
      version: '1',
      description:
        'Agents record contacts and consent; the ledger answers "may I text this person, and why?". ' +
        'The /twilio routes are the webhooks Twilio calls, signed with X-Twilio-Signature.',
      // package.json says UNLICENSED; SPDX spells a licence of one's own `LicenseRef-…`.
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        twilioSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Twilio-Signature',
          description:
            'Twilio’s HMAC-SHA1 of the public URL and the form fields under the account’s auth token',
        },
      },
    },
    paths,
  };
}

/** `GET /openapi.json`: no auth, so tools can discover the API. */
export function createOpenApiHandler(deps: Deps): HttpHandler {
  let document: Record<string, unknown> | undefined;
  return httpHandler(deps, { auth: 'none' }, async () => {
    document ??= openApiDocument({ serverUrl: deps.config.publicBaseUrl });
    return { status: 200, body: document };
  });
}

function security(auth: DocumentedAuth): Array<Record<string, string[]>> {
  if (auth === 'none') return [];
  return auth === 'twilio-signature' ? [{ twilioSignature: [] }] : [{ bearer: [] }];
}

function parameters(schema: z.ZodObject | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (schema === undefined) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: location,
    required: location === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as z.ZodType),
  }));
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}
