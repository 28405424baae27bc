/**
 * The OpenAPI 3.1 document of every route the API serves — the agent/admin API and the Twilio
 * webhooks — built from the routes themselves: the zod schemas that parse requests, the auth the
 * wrapper checks, so the document cannot drift from what the handlers accept.
 */
import * as z from 'zod';
import type { DocumentedResponse, Route, RouteAuth } from '../route';
import { twilioRefusals } from '../twilio/responses';
import { refusal } from './responses';

const JSON_MEDIA = 'application/json';
const FORM_MEDIA = 'application/x-www-form-urlencoded';

type JsonSchema = Record<string, unknown>;

/**
 * What the shared wrapper answers on every JSON route, whatever the handler: 413 and 415 on
 * every route, and 422 for control characters on routes that read a JSON body or a query.
 */
function withWrapperResponses(op: Route): Record<number, DocumentedResponse> {
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
export function openApiDocument(
  routes: readonly Route[],
  opts: { serverUrl?: string } = {},
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of routes) {
    const operation: Record<string, unknown> = {
      operationId: op.key.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase()),
      summary: op.summary,
      security: security(op.auth),
      'x-consentline-auth': op.auth,
      parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
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

function security(auth: RouteAuth): Array<Record<string, string[]>> {
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
