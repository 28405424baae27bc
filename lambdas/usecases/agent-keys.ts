import type { KeyEvent } from '../ports';
import { hashApiKey, newApiKey } from './api-keys';
import type { Deps } from './deps';
import { invalidField, notFound } from './errors';

/** The longest a replaced key may keep working after a rotation. */
export const MAX_KEY_OVERLAP_HOURS = 24;
const HOUR_MS = 3_600_000;

export type KeyChangeRequest = {
  /** Who asks (an operator's name); recorded with the change. */
  by: string;
  /** Why (a suspected leak, a departing assistant, a scheduled rotation); recorded with the change. */
  reason: string;
};

export type RotatedKey = { agentId: string; apiKey: string; event: KeyEvent };

/**
 * Issues the agent a new API key, returned here only (its hash is stored). The replaced key keeps
 * working for `overlapHours` (0 to {@link MAX_KEY_OVERLAP_HOURS}) so the agent's tools can switch
 * over, then gets 401. Recorded as a key event (who, when, why).
 */
export async function rotateAgentKey(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agentId: string,
  request: KeyChangeRequest & { overlapHours: number },
): Promise<RotatedKey> {
  if (!(request.overlapHours >= 0 && request.overlapHours <= MAX_KEY_OVERLAP_HOURS)) {
    throw invalidField('overlapHours', `must be between 0 and ${MAX_KEY_OVERLAP_HOURS}`);
  }
  const now = deps.clock.now();
  const apiKey = newApiKey();
  const validUntil = new Date(now.getTime() + request.overlapHours * HOUR_MS).toISOString();
  const event = await deps.stores.agents.rotateKey(agentId, hashApiKey(apiKey), validUntil, {
    at: now.toISOString(),
    by: request.by,
    reason: request.reason,
  });
  if (event === undefined) throw notFound(`no agent ${agentId}`);
  return { agentId, apiKey, event };
}

/**
 * Revokes every key of the agent at once, overlaps of earlier rotations included: each gets 401
 * from now on. The agent has no key until the next rotation issues one. Recorded as a key event.
 */
export async function revokeAgentKeys(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agentId: string,
  request: KeyChangeRequest,
): Promise<KeyEvent> {
  const event = await deps.stores.agents.revokeKeys(agentId, {
    at: deps.clock.now().toISOString(),
    by: request.by,
    reason: request.reason,
  });
  if (event === undefined) throw notFound(`no agent ${agentId}`);
  return event;
}

/** The agent's key rotations and revocations, oldest first. */
export async function listKeyEvents(deps: Pick<Deps, 'stores'>, agentId: string): Promise<KeyEvent[]> {
  if ((await deps.stores.agents.get(agentId)) === undefined) throw notFound(`no agent ${agentId}`);
  return deps.stores.agents.keyEvents(agentId);
}
