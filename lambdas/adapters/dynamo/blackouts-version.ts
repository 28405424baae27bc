import type { BlackoutsVersion } from '../../ports';

/**
 * The counters table's `blackouts` item: a version every declaration and early end moves, in
 * the same transaction as the record it puts, and the latest declared end of any blackout. The
 * blackouts table stays append-only; this small mutable item lets the gate learn from its batch
 * read that no blackout can hold a text (latest end past), and lets a send claim prove that no
 * blackout was declared or ended since its decision (version unchanged).
 */
export const BLACKOUTS_KEY = 'blackouts';

type Item = { version?: number; latestEnd?: string };

/** The version the gate saw: 0 while no blackout was ever declared. */
export function blackoutsVersionOf(item: Record<string, unknown> | undefined): BlackoutsVersion {
  const { version, latestEnd } = (item ?? {}) as Partial<Item>;
  return { version: version ?? 0, ...(latestEnd === undefined ? {} : { latestEnd }) };
}

/** A claim's ConditionCheck: no blackout declared or ended since the version the decision saw. */
export function blackoutsUnchangedCheck(countersTable: string, seenVersion: number) {
  return {
    TableName: countersTable,
    Key: { key: BLACKOUTS_KEY },
    ...versionCondition(seenVersion),
  };
}

/** The item is at `seen` (0: it has no version, as an item not yet written has none). */
function versionCondition(seen: number) {
  return seen === 0
    ? {
        ConditionExpression: 'attribute_not_exists(#version)',
        ExpressionAttributeNames: { '#version': 'version' },
      }
    : {
        ConditionExpression: '#version = :seen',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':seen': seen },
      };
}

/** A declaration's move of the item: the next version, and its end when that is the latest. */
export function declarationMove(countersTable: string, seen: BlackoutsVersion, end: string) {
  const latestEnd = seen.latestEnd !== undefined && seen.latestEnd > end ? seen.latestEnd : end;
  const condition = versionCondition(seen.version);
  return {
    TableName: countersTable,
    Key: { key: BLACKOUTS_KEY },
    UpdateExpression: 'SET #version = :next, latestEnd = :latestEnd',
    ...condition,
    ExpressionAttributeValues: {
      ...condition.ExpressionAttributeValues,
      ':next': seen.version + 1,
      ':latestEnd': latestEnd,
    },
  };
}

/** An early end's move: the next version (an end only shortens, so the latest end stays). */
export function endMove(countersTable: string) {
  return {
    TableName: countersTable,
    Key: { key: BLACKOUTS_KEY },
    UpdateExpression: 'ADD #version :one',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':one': 1 },
  };
}
