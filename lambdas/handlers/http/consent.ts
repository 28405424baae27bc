/**
 * The consent ledger of a contact: log an event, read the derived status and full history.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import { appendConsent } from '../../usecases/append-consent';
import { consentHistory } from '../../usecases/consent-history';
import type { Deps } from '../../usecases/deps';
import { httpHandler, type HttpHandler } from './middleware';
import { consentBody, contactPath } from './schemas';

/**
 * `POST /v1/contacts/{phone}/consent` → 201 with the ledger record and the new status; 422 with
 * the reason when the method is not consent. Open to suspended agents: they may still log a
 * revocation (the use case refuses anything else).
 */
export function createAppendConsentHandler(deps: Deps): HttpHandler {
  return httpHandler(
    deps,
    { auth: 'agent', path: contactPath, body: consentBody, suspendedAgents: 'allow' },
    async ({ caller, path, body }) => ({
      status: 201,
      body: await appendConsent(deps, caller.agent, path.phone, body),
    }),
  );
}

/** `GET /v1/contacts/{phone}/consent` → derived status and every event, oldest first. */
export function createConsentHistoryHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', path: contactPath }, async ({ caller, path }) => ({
    status: 200,
    body: await consentHistory(deps, caller.agent, path.phone),
  }));
}
