import type { ConsentEvent, ConsentEventType } from '../../../lambdas/compliance/types';

/** The phone and the two agents the consent tests speak of. */
export const phone = '+15125550100';
export const agentA = 'agent-a';
export const agentB = 'agent-b';

let nextId = 0;

/**
 * A consent ledger event of `agentA` for `phone` over SMS, with a fresh id; a global opt-out
 * belongs to every agent (`*`). `overrides` change any field.
 */
export function event(
  type: ConsentEventType,
  at: string,
  overrides: Partial<ConsentEvent> = {},
): ConsentEvent {
  nextId += 1;
  return {
    id: `evt-${nextId}`,
    agentId: type === 'global_opt_out' ? '*' : agentA,
    phone,
    channel: 'sms',
    type,
    at: new Date(at),
    ...overrides,
  };
}
