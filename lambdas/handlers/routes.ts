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
import {
  createCreateAgentHandler,
  createListKeyEventsHandler,
  createResumeAgentHandler,
  createRevokeAgentKeysHandler,
  createRotateAgentKeyHandler,
  createSuspendAgentHandler,
} from './http/agents';
import { createAuditMessagesHandler, createAuditPhoneHandler } from './http/audit';
import {
  createDeclareBlackoutHandler,
  createEndBlackoutHandler,
  createListBlackoutsHandler,
} from './http/blackouts';
import {
  createAppendConsentHandler,
  createConsentHistoryHandler,
  createConsentRequestHandler,
} from './http/consent';
import { createGetContactHandler, createListContactsHandler, createPutContactHandler } from './http/contacts';
import {
  createEditMessageHandler,
  createEnrollHandler,
  createGetCadenceHandler,
  createListContactMessagesHandler,
  createPutCadenceHandler,
  createUnenrollHandler,
} from './http/enroll';
import { createImportContactsHandler } from './http/imports';
import { createVerifyLedgerHandler } from './http/ledger';
import { createCreateMessageHandler, createGetMessageHandler } from './http/messages';
import type { HttpHandler } from './http/middleware';
import { createOpenApiHandler } from './http/openapi';
import { createTimeHandler } from './http/time';
import { createTwilioSmsHandler } from './twilio/sms';
import { createTwilioSmsFallbackHandler } from './twilio/sms-fallback';
import { createTwilioStatusHandler } from './twilio/status';
import { createTwilioVoiceHandler } from './twilio/voice';

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
  'enroll.create': createEnrollHandler,
  'enroll.delete': createUnenrollHandler,
  'contacts.messages': createListContactMessagesHandler,
  'messages.edit': createEditMessageHandler,
  'cadence.get': createGetCadenceHandler,
  'cadence.put': createPutCadenceHandler,
  'imports.create': createImportContactsHandler,
  'ledger.verify': createVerifyLedgerHandler,
  'messages.create': createCreateMessageHandler,
  'messages.get': createGetMessageHandler,
  'openapi.get': createOpenApiHandler,
  'audit.messages': createAuditMessagesHandler,
  'audit.phone': createAuditPhoneHandler,
  'twilio.sms': createTwilioSmsHandler,
  'twilio.status': createTwilioStatusHandler,
  'twilio.voice': createTwilioVoiceHandler,
  'consent.request': createConsentRequestHandler,
  'contacts.list': createListContactsHandler,
  'time.get': createTimeHandler,
  'agents.rotate-key': createRotateAgentKeyHandler,
  'agents.revoke-keys': createRevokeAgentKeysHandler,
  'agents.key-events': createListKeyEventsHandler,
  'twilio.sms-fallback': createTwilioSmsFallbackHandler,
  'blackouts.declare': createDeclareBlackoutHandler,
  'blackouts.list': createListBlackoutsHandler,
  'blackouts.end': createEndBlackoutHandler,
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
  // Drip cadence (./http/enroll)
  { method: 'POST', path: '/v1/contacts/{phone}/enroll', handler: 'enroll.create' },
  { method: 'DELETE', path: '/v1/contacts/{phone}/enroll', handler: 'enroll.delete' },
  { method: 'GET', path: '/v1/contacts/{phone}/messages', handler: 'contacts.messages' },
  { method: 'PUT', path: '/v1/messages/{id}', handler: 'messages.edit' },
  { method: 'GET', path: '/v1/cadence', handler: 'cadence.get' },
  { method: 'PUT', path: '/v1/cadence', handler: 'cadence.put' },
  { method: 'POST', path: '/v1/imports', handler: 'imports.create' },
  { method: 'GET', path: '/v1/ledger/verify', handler: 'ledger.verify' },
  { method: 'POST', path: '/v1/messages', handler: 'messages.create' },
  { method: 'GET', path: '/v1/messages/{id}', handler: 'messages.get' },
  { method: 'GET', path: '/openapi.json', handler: 'openapi.get' },
  // Audit export (./http/audit)
  { method: 'GET', path: '/v1/audit/messages', handler: 'audit.messages' },
  { method: 'GET', path: '/v1/audit/phones/{phone}', handler: 'audit.phone' },
  // Twilio webhooks (./twilio): signed form posts, answered with TwiML
  { method: 'POST', path: '/twilio/sms', handler: 'twilio.sms' },
  { method: 'POST', path: '/twilio/status', handler: 'twilio.status' },
  { method: 'POST', path: '/twilio/voice', handler: 'twilio.voice' },
  // Consent request (./http/consent)
  { method: 'POST', path: '/v1/contacts/{phone}/consent-request', handler: 'consent.request' },
  { method: 'GET', path: '/v1/contacts', handler: 'contacts.list' },
  { method: 'GET', path: '/v1/time', handler: 'time.get' },
  // Agent keys (./http/agents): rotate with an overlap, revoke all, the record of both
  { method: 'POST', path: '/v1/agents/{agentId}/keys/rotate', handler: 'agents.rotate-key' },
  { method: 'POST', path: '/v1/agents/{agentId}/keys/revoke', handler: 'agents.revoke-keys' },
  { method: 'GET', path: '/v1/agents/{agentId}/keys/events', handler: 'agents.key-events' },
  { method: 'POST', path: '/twilio/sms-fallback', handler: 'twilio.sms-fallback' },
  // State-of-emergency blackouts (./http/blackouts): declare, list, end early (admin key)
  { method: 'POST', path: '/v1/admin/blackouts', handler: 'blackouts.declare' },
  { method: 'GET', path: '/v1/admin/blackouts', handler: 'blackouts.list' },
  { method: 'POST', path: '/v1/admin/blackouts/{id}/end', handler: 'blackouts.end' },
];

/** The API Gateway route key, e.g. `PUT /v1/contacts/{phone}`. */
export function routeKey(route: Pick<HttpRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
