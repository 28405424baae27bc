/**
 * Ledger verification: re-hash the consent chains of a phone and report the first broken link.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import type { Deps } from '../../usecases/deps';
import { verifyLedger } from '../../usecases/verify-ledger';
import { httpHandler, type HttpHandler } from './middleware';
import { verifyQuery } from './schemas';

/** `GET /v1/ledger/verify?phone=` → an agent checks its own chain; the admin every chain of the phone. */
export function createVerifyLedgerHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent_or_admin', query: verifyQuery }, async ({ caller, query }) => {
    const scope = caller.role === 'admin' ? 'all_agents' : { agentId: caller.agent.agentId };
    return { status: 200, body: await verifyLedger(deps, scope, query.phone) };
  });
}
