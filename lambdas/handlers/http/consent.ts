/**
 * The consent ledger of a contact: log an event, read the derived status and full history.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import { appendConsent } from '../../usecases/append-consent';
import { consentHistory } from '../../usecases/consent-history';
import type { Deps } from '../../usecases/deps';
import { validateConsentType } from '../../compliance/consent';
import { HttpError, httpHandler, validate, type HttpHandler } from './middleware';
import { consentBody, consentEnvelope, contactPath } from './schemas';

/**
 * `POST /v1/contacts/{phone}/consent` → 201 with the ledger record and the new consent view; 422
 * listing the valid ones when the type or method is unknown, or saying why the method is not
 * consent of that type. Open to suspended agents: they may still log a revocation (the use case
 * refuses anything else).
 */
export function createAppendConsentHandler(deps: Deps): HttpHandler {
  return httpHandler(
    deps,
    { auth: 'agent', path: contactPath, body: consentEnvelope, suspendedAgents: 'allow' },
    async ({ caller, path, body }) => {
      const type = validateConsentType(body.type);
      if (!type.ok) throw new HttpError(422, 'unknown_type', `type: ${type.reason ?? 'unknown'}`);
      const entry = validate('body', consentBody, body);
      return { status: 201, body: await appendConsent(deps, caller.agent, path.phone, entry) };
    },
  );
}

/** `GET /v1/contacts/{phone}/consent` → derived status and every event, oldest first. */
export function createConsentHistoryHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', path: contactPath }, async ({ caller, path }) => ({
    status: 200,
    body: await consentHistory(deps, caller.agent, path.phone),
  }));
}
