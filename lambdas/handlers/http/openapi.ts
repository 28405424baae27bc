/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of the agent/admin API, generated from the same
 * zod schemas that parse requests, so the document cannot drift from what the handlers accept.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import { z } from 'zod';
import type { Deps } from '../../usecases/deps';
import { httpHandler, type AuthMode, type HttpHandler } from './middleware';
import * as schemas from './schemas';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One documented route; `handler` is its key in `httpHandlers` (../routes.ts). */
export type DocumentedOperation = {
  method: Method;
  path: string;
  handler: string;
  summary: string;
  auth: AuthMode;
  body?: z.ZodType;
  query?: z.ZodObject;
  pathParams?: z.ZodObject;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
};

const errors = {
  400: { description: 'invalid input; the message names the field', schema: schemas.errorResponse },
  401: { description: 'missing or unknown API key', schema: schemas.errorResponse },
  403: { description: 'the key may not use this route', schema: schemas.errorResponse },
};
const notFound = { description: 'not found (or another agent’s)', schema: schemas.errorResponse };

/** Every route of the agent/admin API, as documented. */
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
    summary: 'Suspend an agent: every send is blocked pending review',
    auth: 'admin',
    pathParams: schemas.agentPath,
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
    method: 'GET',
    path: '/openapi.json',
    handler: 'openapi.get',
    summary: 'This document',
    auth: 'none',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
];

type JsonSchema = Record<string, unknown>;

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
      security: op.auth === 'none' ? [] : [{ bearer: [] }],
      'x-consentline-auth': op.auth,
      parameters: [...parameters(op.pathParams, 'path'), ...parameters(op.query, 'query')],
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([status, response]) => [
          status,
          response.schema === undefined
            ? { description: response.description }
            : {
                description: response.description,
                content: { 'application/json': { schema: jsonSchema(response.schema) } },
              },
        ]),
      ),
    };
    if (op.body !== undefined) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(op.body) } },
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
        'Agents record contacts and consent; the ledger answers "may I text this person, and why?".',
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
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
