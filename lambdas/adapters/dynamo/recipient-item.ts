import type { RecentSendRecord } from '../../ports';

/**
 * The counters item of one phone, `recipient#<phone>`: the recent sends of every agent, with a
 * version for optimistic concurrency (RULES §3 caps), and a copy of the version of the phone's
 * derived state in the ledger table (`consentVersion`), written in the same transaction as every
 * move of that state. So the send claim takes the recipient's slot and checks that no consent
 * record, opt-out or reassignment was recorded since its decision with one action on one item.
 *
 * The sends expire (TTL), the copy must not: a copy removed by TTL after a later consent write
 * would let a claim decided before that write pass. Each copy therefore clears the expiry; a
 * later send sets it again, so the item can only expire two days after a send with no consent
 * write since — and no decision is that old when its claim is tried (decided sends: 60 s).
 */
export const recipientKey = (phone: string): string => `recipient#${phone}`;

export type RecipientItem = { sends?: RecentSendRecord[]; version?: number; consentVersion?: number };

/** Copies the phone's state version onto its counters item (an action of the state's transaction). */
export function mirrorConsentVersion(countersTable: string, phone: string, version: number) {
  return {
    Update: {
      TableName: countersTable,
      Key: { key: recipientKey(phone) },
      UpdateExpression: 'SET #consentVersion = :version REMOVE expiresAt',
      ExpressionAttributeNames: { '#consentVersion': 'consentVersion' },
      ExpressionAttributeValues: { ':version': version },
    },
  };
}

/**
 * The condition a claim adds to the recipient's slot: the phone's state is still at the version
 * its decision read (`0`: no state at all), or no copy is kept (see above).
 */
export function consentUnchangedCondition(stateVersion: number): {
  condition: string;
  names: Record<string, string>;
  values: Record<string, number>;
} {
  const names = { '#consentVersion': 'consentVersion' };
  if (stateVersion === 0) return { condition: 'attribute_not_exists(#consentVersion)', names, values: {} };
  return {
    condition: '(attribute_not_exists(#consentVersion) OR #consentVersion = :consentVersion)',
    names,
    values: { ':consentVersion': stateVersion },
  };
}
