/**
 * The consent ledger of a contact: log an event, read the derived status and full history, and
 * ask for written consent.
 */
import * as z from 'zod';
import { validateConsentType } from '../../compliance/consent';
import { appendConsent } from '../../usecases/append-consent';
import { consentHistory } from '../../usecases/consent-history';
import { requestConsent } from '../../usecases/consent-request';
import { allTables, consentReads } from '../route';
import { messageAcceptedResponse } from './message-schemas';
import { HttpError, validate } from './middleware';
import { accepted, created, ok } from './route';
import { contactRoute } from './scoped-route';
import { consentAppendedResponse, consentBody, consentEnvelope, consentHistoryResponse } from './schemas';

/**
 * `POST /v1/contacts/{phone}/consent` → 201 with the ledger record and the new consent view; 422
 * listing the valid ones when the type or method is unknown, or saying why the method is not
 * consent of that type. Open to suspended agents: they may still log a revocation (the use case
 * refuses anything else).
 */
export const appendConsentRoute = /* @__PURE__ */ contactRoute({
  key: 'consent.append',
  route: 'POST /v1/contacts/{phone}/consent',
  summary: 'Log a consent event (express written, EBR, revocation)',
  options: { body: consentEnvelope, suspendedAgents: 'allow' },
  fullBody: consentBody,
  responses: {
    201: { description: 'appended to the ledger', schema: consentAppendedResponse },
    422: 'the method is not consent; the message says why',
  },
  // A revocation ends the cadence: the enrollment and its pending steps
  access: { reads: allTables, writes: ['ledger', 'counters', 'contacts', 'messages'] },
  handle: async (deps, { caller, path, body }) => {
    const type = validateConsentType(body.type);
    if (!type.ok) throw new HttpError(422, 'unknown_type', `type: ${type.reason ?? 'unknown'}`);
    const entry = validate('body', consentBody, body);
    return created(await appendConsent(deps, caller.agent, path.phone, entry));
  },
});

/** `GET /v1/contacts/{phone}/consent` → derived status and every event, oldest first. */
export const consentHistoryRoute = /* @__PURE__ */ contactRoute({
  key: 'consent.history',
  route: 'GET /v1/contacts/{phone}/consent',
  summary: 'Derived consent status and full history, oldest first',
  responses: { 200: { description: 'the history', schema: consentHistoryResponse } },
  access: { reads: consentReads, writes: [] },
  handle: async (deps, { caller, path }) => ok(await consentHistory(deps, caller.agent, path.phone)),
});

/**
 * `POST /v1/contacts/{phone}/consent-request` → 202 with the gate's verdict and receipt for the
 * one manual text asking for written consent; 409 saying why when the contact may not get one.
 */
export const consentRequestRoute = /* @__PURE__ */ contactRoute({
  key: 'consent.request',
  route: 'POST /v1/contacts/{phone}/consent-request',
  summary: 'Send one manual text asking for written consent; the YES reply is express written consent',
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
    409: '`consent_request_refused`: no oral consent or open EBR, a later opt-out, or a request within 30 days; the message says why',
  },
  // The contact's request slot, the message (queued or held)
  access: { reads: allTables, writes: ['contacts', 'messages'], enqueues: true, schedules: true },
  handle: async (deps, { caller, path }) => accepted(await requestConsent(deps, caller.agent, path.phone)),
});
