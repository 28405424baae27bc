/**
 * Every HTTP route, listed once. Each handler file exports its routes' definitions (method, path,
 * auth, schemas, responses, table access, handler: see ./route.ts); from this list the CDK stack
 * creates one function per route with only the access it declares and its API Gateway route, the
 * local runtime routes its requests, and `GET /openapi.json` documents them.
 *
 * To add a route: export a `defineRoute({...})` (or `defineWebhook`) from its handler file and
 * import it into the list below. The list is checked when this module loads (`routeProblems`).
 */
import type { Deps } from '../usecases/deps';
import {
  createAgentRoute,
  listAgentsRoute,
  listKeyEventsRoute,
  resumeAgentRoute,
  revokeAgentKeysRoute,
  rotateAgentKeyRoute,
  suspendAgentRoute,
} from './http/agents';
import { auditConsentRoute, auditMessagesRoute, auditPhoneRoute } from './http/audit';
import { declareBlackoutRoute, endBlackoutRoute, listBlackoutsRoute } from './http/blackouts';
import { appendConsentRoute, consentHistoryRoute, consentRequestRoute } from './http/consent';
import { eraseContactRoute, getContactRoute, listContactsRoute, putContactRoute } from './http/contacts';
import {
  editMessageRoute,
  enrollRoute,
  getCadenceRoute,
  listContactMessagesRoute,
  putCadenceRoute,
  unenrollRoute,
} from './http/enroll';
import { importContactsRoute } from './http/imports';
import { verifyLedgerRoute } from './http/ledger';
import { createMessageRoute, getMessageRoute } from './http/messages';
import type { HttpHandler } from './http/middleware';
import { openApiDocument } from './http/openapi';
import { openApiRoute } from './http/openapi-route';
import { timeRoute } from './http/time';
import { routeProblems, type Route } from './route';
import { twilioSmsRoute } from './twilio/sms';
import { twilioSmsFallbackRoute } from './twilio/sms-fallback';
import { twilioStatusRoute } from './twilio/status';
import { twilioVoiceRoute } from './twilio/voice';

export { routeKey, type HttpMethod, type Route } from './route';

/** The routes the OpenAPI document describes: all of them, itself included. */
const documentedRoutes = (): readonly Route[] => httpRoutes;

/** `GET /openapi.json`: the document of this list. */
export const openApiGetRoute = openApiRoute('openapi.get', () => openApiDocument(documentedRoutes()));

export const httpRoutes = [
  // Agent/admin API (./http)
  createAgentRoute,
  suspendAgentRoute,
  resumeAgentRoute,
  putContactRoute,
  getContactRoute,
  appendConsentRoute,
  consentHistoryRoute,
  // Drip cadence (./http/enroll)
  enrollRoute,
  unenrollRoute,
  listContactMessagesRoute,
  editMessageRoute,
  getCadenceRoute,
  putCadenceRoute,
  importContactsRoute,
  verifyLedgerRoute,
  createMessageRoute,
  getMessageRoute,
  openApiGetRoute,
  // Audit export (./http/audit)
  auditMessagesRoute,
  auditPhoneRoute,
  // Twilio webhooks (./twilio): signed form posts, answered with TwiML
  twilioSmsRoute,
  twilioStatusRoute,
  twilioVoiceRoute,
  // Consent request (./http/consent)
  consentRequestRoute,
  listContactsRoute,
  timeRoute,
  // Agent keys (./http/agents): rotate with an overlap, revoke all, the record of both
  rotateAgentKeyRoute,
  revokeAgentKeysRoute,
  listKeyEventsRoute,
  twilioSmsFallbackRoute,
  // Erasure at the contact's request (./http/contacts)
  eraseContactRoute,
  // The brokerage-wide audit export (./http/agents, ./http/audit)
  listAgentsRoute,
  auditConsentRoute,
  // State-of-emergency blackouts (./http/blackouts): declare, list, end early (admin key)
  declareBlackoutRoute,
  listBlackoutsRoute,
  endBlackoutRoute,
] as const satisfies readonly Route[];

/** A route's key: the name of its Lambda function and of its OpenAPI operation. */
export type RouteKey = (typeof httpRoutes)[number]['key'];

const problems = routeProblems(httpRoutes);
if (problems.length > 0) throw new Error(`the route list is inconsistent:\n${problems.join('\n')}`);

/** Handler factories by route key: each takes the injected `Deps` and returns the API Gateway v2 handler. */
export const httpHandlers: Readonly<Record<string, (deps: Deps) => HttpHandler>> = Object.fromEntries(
  httpRoutes.map((route) => [route.key, route.create]),
);

/** The route of `key`, if there is one. */
export function routeOf(key: string): Route | undefined {
  return httpRoutes.find((route) => route.key === key);
}
