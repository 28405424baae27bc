import { chainIdOf } from './ledger-store';

/**
 * The condition-only actions a send claim adds to its transaction, so the last look before
 * Twilio is atomic with the claim (RULES §2): the consent the gate decided on is still the last
 * (no ledger event, no opt-out since) and the agent is not suspended. Each writer of these items
 * moves them in its own transaction with the record it appends, so a claim that passes these
 * checks was decided on everything recorded before it.
 */

// Written by the ledger and opt-out stores with each appended record (their chain heads).
const ledgerHeadKey = (agentId: string, phone: string): string => `chain#${chainIdOf(agentId, phone)}`;
const optOutHeadKey = (phone: string): string => `optchain#${phone}`;

/** The chain head still at `seq` (0: no record yet). */
function headAt(countersTable: string, key: string, seq: number) {
  return {
    TableName: countersTable,
    Key: { key },
    ConditionExpression: seq === 0 ? 'attribute_not_exists(#key)' : 'headSeq = :seen',
    ExpressionAttributeNames: seq === 0 ? { '#key': 'key' } : undefined,
    ExpressionAttributeValues: seq === 0 ? undefined : { ':seen': seq },
  };
}

/** The agent's chain for the phone ends at `ledgerSeq` and the phone's opt-outs at `optOutSeq`. */
export function consentUnchangedChecks(
  countersTable: string,
  consent: { agentId: string; phone: string; ledgerSeq: number; optOutSeq: number },
) {
  return [
    headAt(countersTable, ledgerHeadKey(consent.agentId, consent.phone), consent.ledgerSeq),
    headAt(countersTable, optOutHeadKey(consent.phone), consent.optOutSeq),
  ];
}

/** The agent exists and is not suspended. */
export function agentActiveCheck(agentsTable: string, agentId: string) {
  return {
    TableName: agentsTable,
    Key: { agentId },
    ConditionExpression: 'attribute_exists(agentId) AND (attribute_not_exists(suspended) OR suspended = :no)',
    ExpressionAttributeValues: { ':no': false },
  };
}
