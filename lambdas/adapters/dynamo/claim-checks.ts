import { STATE_ENTRY } from './phone-items';

/**
 * The condition-only actions a send claim adds to its transaction, so the last look before
 * Twilio is atomic with the claim (RULES §2): the consent the gate decided on is still the last
 * (no ledger event, no opt-out since). The agent's suspension is checked on the agent's counters
 * item (agent-sends.ts). Each writer of a phone's
 * records moves the phone's derived state (chain heads, opt-out head) in its own transaction with
 * the record it appends, so a claim that passes these checks was decided on everything recorded
 * before it.
 */

/**
 * The agent's chain for the phone ends at `ledgerSeq`, the phone's opt-outs at `optOutSeq` (0: no
 * record yet) and its latest reassignment is `reassignedAt` (absent: none), as the phone's derived
 * state in the ledger table says: one ConditionCheck.
 */
export function consentUnchangedChecks(
  ledgerTable: string,
  consent: { agentId: string; phone: string; ledgerSeq: number; optOutSeq: number; reassignedAt?: string },
) {
  const names: Record<string, string> = {
    '#chains': 'chains',
    '#agent': consent.agentId,
    '#optOuts': 'optOuts',
    '#reassigned': 'lastReassignedAt',
  };
  const values: Record<string, number | string> = {};
  let chain = 'attribute_not_exists(#chains.#agent)';
  if (consent.ledgerSeq !== 0) {
    values[':ledgerSeq'] = consent.ledgerSeq;
    chain = '#chains.#agent.seq = :ledgerSeq';
  }
  let optOuts = 'attribute_not_exists(#optOuts)';
  if (consent.optOutSeq !== 0) {
    values[':optOutSeq'] = consent.optOutSeq;
    optOuts = '#optOuts.seq = :optOutSeq';
  }
  // A reassignment voids every earlier consent of the number (RULES §1): none recorded since.
  let reassigned = 'attribute_not_exists(#reassigned)';
  if (consent.reassignedAt !== undefined) {
    values[':reassignedAt'] = consent.reassignedAt;
    reassigned = '#reassigned = :reassignedAt';
  }
  return [
    {
      TableName: ledgerTable,
      Key: { phone: consent.phone, entry: STATE_ENTRY },
      ConditionExpression: `${chain} AND ${optOuts} AND ${reassigned}`,
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
    },
  ];
}
