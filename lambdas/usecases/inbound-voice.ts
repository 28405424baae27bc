import type { Deps } from './deps';

/** What to do with a call to an agent's number. */
export type InboundCallRoute = { action: 'dial'; forwardTo: string } | { action: 'reject' };

/**
 * A call to an agent's Twilio number rings the agent's own phone (RULES §2); a call to a number
 * no agent holds is rejected.
 */
export async function routeInboundCall(
  deps: Pick<Deps, 'stores'>,
  call: { to: string },
): Promise<InboundCallRoute> {
  const agent = await deps.stores.agents.findBySenderNumber(call.to);
  return agent === undefined ? { action: 'reject' } : { action: 'dial', forwardTo: agent.forwardTo };
}
