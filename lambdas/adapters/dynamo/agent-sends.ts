/**
 * One counters item per agent, `agent#<agentId>`: the agent's sends of the current UTC day
 * (`day`, `count`) and a copy of the agent's suspension (`suspended`), written in the same
 * transaction as the agent item. So a send claim takes the day slot and checks the suspension
 * with one action on one item: the day cap (RULES §5) and the last look at the suspension (RULES
 * §6) hold atomically with the claim, at the price of one transactional write instead of two.
 *
 * The item holds one day: the first send of a new day starts the count again. An update cannot
 * branch, so the caller picks the form from the count it read for the day; a stale read fails the
 * condition, and the claim is decided again on a fresh read.
 */

/** The counters item of an agent's sends and suspension. */
export const agentSendsKey = (agentId: string): string => `agent#${agentId}`;

/** What the item holds. */
export type AgentSendsItem = { day?: string; count?: number; suspended?: boolean };

/** The agent's sends on `utcDate` as the item says: 0 when it counts another day. */
export function sendsOn(item: AgentSendsItem | undefined, utcDate: string): number {
  return item?.day === utcDate ? (item.count ?? 0) : 0;
}

const NOT_SUSPENDED = '(attribute_not_exists(#suspended) OR #suspended = :no)';

/**
 * The update that takes one slot of `utcDate` while fewer than `cap` are taken, for a caller
 * that read `seenCount` sends that day: with none seen, the item is moved to the day (unless it
 * already counts sends of it, or a later day); otherwise the day's count goes up by one. With
 * `unsuspended`, the agent must not be suspended either.
 */
export function takeDaySlot(
  table: string,
  slot: { agentId: string; utcDate: string; cap: number; seenCount: number },
  unsuspended: boolean,
) {
  const names: Record<string, string> = { '#day': 'day', '#count': 'count' };
  const values: Record<string, unknown> = { ':day': slot.utcDate, ':one': 1 };
  let update: string;
  let condition: string;
  if (slot.seenCount === 0) {
    update = 'SET #day = :day, #count = :one';
    values[':zero'] = 0;
    condition = '(attribute_not_exists(#day) OR #day < :day OR (#day = :day AND #count = :zero))';
  } else {
    update = 'ADD #count :one';
    values[':cap'] = slot.cap;
    condition = '#day = :day AND #count < :cap';
  }
  if (unsuspended) {
    names['#suspended'] = 'suspended';
    values[':no'] = false;
    condition = `${condition} AND ${NOT_SUSPENDED}`;
  }
  return {
    TableName: table,
    Key: { key: agentSendsKey(slot.agentId) },
    UpdateExpression: update,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The agent is not suspended (a missing item: never suspended). */
export function unsuspendedCheck(table: string, agentId: string) {
  return {
    TableName: table,
    Key: { key: agentSendsKey(agentId) },
    ConditionExpression: NOT_SUSPENDED,
    ExpressionAttributeNames: { '#suspended': 'suspended' },
    ExpressionAttributeValues: { ':no': false },
  };
}

/** Gives back one slot of `utcDate` (never below 0, never another day's). */
export function releaseDaySlot(table: string, agentId: string, utcDate: string) {
  return {
    TableName: table,
    Key: { key: agentSendsKey(agentId) },
    UpdateExpression: 'ADD #count :minusOne',
    ConditionExpression: '#day = :day AND #count > :zero',
    ExpressionAttributeNames: { '#day': 'day', '#count': 'count' },
    ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0, ':day': utcDate },
  };
}

/** Copies the agent's suspension onto the item, for the transaction that changes the agent's. */
export function mirrorSuspension(table: string, agentId: string, suspended: boolean) {
  return {
    TableName: table,
    Key: { key: agentSendsKey(agentId) },
    UpdateExpression: 'SET #suspended = :suspended',
    ExpressionAttributeNames: { '#suspended': 'suspended' },
    ExpressionAttributeValues: { ':suspended': suspended },
  };
}
