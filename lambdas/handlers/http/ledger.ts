/**
 * Ledger verification: re-hash the consent chains of a phone and report the first broken link.
 */
import { verifyLedger } from '../../usecases/verify-ledger';
import { defineRoute, ok } from './route';
import { verificationResponse, verifyQuery } from './schemas';

/** `GET /v1/ledger/verify?phone=` → an agent checks its own chain; the admin every chain of the phone. */
export const verifyLedgerRoute = /* @__PURE__ */ defineRoute({
  key: 'ledger.verify',
  route: 'GET /v1/ledger/verify',
  summary: 'Re-hash the consent ledger chain(s) of a phone',
  options: { auth: 'agent_or_admin', query: verifyQuery },
  responses: { 200: { description: 'verification', schema: verificationResponse } },
  // counters: the copy of the phone's state version the send claim checks
  access: { reads: ['agents', 'ledger', 'numbers', 'counters'], writes: [] },
  handle: async (deps, { caller, query }) => {
    const scope = caller.role === 'admin' ? 'all_agents' : { agentId: caller.agent.agentId };
    return ok(await verifyLedger(deps, scope, query.phone));
  },
});
