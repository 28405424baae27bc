/**
 * The HTTP route table, in one place: the CDK stack creates API Gateway routes and functions
 * from it, and the local runtime routes requests with it, so both serve the same API.
 *
 * To add a route group (Twilio webhooks, messages, enrollment): add its handler factories to
 * `httpHandlers` under new keys and its routes to `httpRoutes`.
 *
 * AWS composition root: a Lambda entry point builds production `Deps` once per cold start and
 * exports `handler = httpHandlers[key](deps)` for its key.
 */
import type { Deps } from '../usecases/deps';
import { createCreateAgentHandler, createResumeAgentHandler, createSuspendAgentHandler } from './http/agents';
import { createAppendConsentHandler, createConsentHistoryHandler } from './http/consent';
import { createGetContactHandler, createPutContactHandler } from './http/contacts';
import { createImportContactsHandler } from './http/imports';
import { createVerifyLedgerHandler } from './http/ledger';
import type { HttpHandler } from './http/middleware';
import { createOpenApiHandler } from './http/openapi';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type HttpRoute = {
  method: HttpMethod;
  /** API Gateway style, e.g. `/v1/contacts/{phone}`. */
  path: string;
  /** Key of the handler factory in {@link httpHandlers}; one Lambda function per key. */
  handler: string;
};

/** Handler factories by key: each takes the injected `Deps` and returns the API Gateway v2 handler. */
export const httpHandlers: Record<string, (deps: Deps) => HttpHandler> = {
  'agents.create': createCreateAgentHandler,
  'agents.suspend': createSuspendAgentHandler,
  'agents.resume': createResumeAgentHandler,
  'contacts.put': createPutContactHandler,
  'contacts.get': createGetContactHandler,
  'consent.append': createAppendConsentHandler,
  'consent.history': createConsentHistoryHandler,
  'imports.create': createImportContactsHandler,
  'ledger.verify': createVerifyLedgerHandler,
  'openapi.get': createOpenApiHandler,
};

export const httpRoutes: HttpRoute[] = [
  // Agent/admin API (./http)
  { method: 'POST', path: '/v1/agents', handler: 'agents.create' },
  { method: 'POST', path: '/v1/agents/{agentId}/suspend', handler: 'agents.suspend' },
  { method: 'POST', path: '/v1/agents/{agentId}/resume', handler: 'agents.resume' },
  { method: 'PUT', path: '/v1/contacts/{phone}', handler: 'contacts.put' },
  { method: 'GET', path: '/v1/contacts/{phone}', handler: 'contacts.get' },
  { method: 'POST', path: '/v1/contacts/{phone}/consent', handler: 'consent.append' },
  { method: 'GET', path: '/v1/contacts/{phone}/consent', handler: 'consent.history' },
  { method: 'POST', path: '/v1/imports', handler: 'imports.create' },
  { method: 'GET', path: '/v1/ledger/verify', handler: 'ledger.verify' },
  { method: 'GET', path: '/openapi.json', handler: 'openapi.get' },
];

/** The API Gateway route key, e.g. `PUT /v1/contacts/{phone}`. */
export function routeKey(route: Pick<HttpRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
