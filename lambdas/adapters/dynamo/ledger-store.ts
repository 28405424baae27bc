import { randomUUID } from 'node:crypto';
import type {
  ChainVerification,
  LedgerEventDraft,
  LedgerRecord,
  LedgerStore,
  OptOutDraft,
  OptOutRecord,
  PhoneRecords,
} from '../../ports';
import { verifyChain } from './chain-verify';
import { chainHash, GENESIS_HASH } from './ledger-hash';
import { newOptOutId, optOutRecord, verifyOptOutChain } from './optout-store';
import { PhoneCollectionStore, type PhoneCollectionStoreOptions } from './phone-collection-store';
import {
  chainPrefix,
  LEDGER_PREFIX,
  phoneAppendItems,
  phoneRecordsOf,
  queryPhone,
  withoutEntry,
} from './phone-items';

export type LedgerStoreOptions = PhoneCollectionStoreOptions & {
  /** Id of a new ledger event; random by default. */
  newId?: () => string;
  /** Id of a new opt-out record; random by default. */
  newOptOutId?: () => string;
};

/** Where a chain ends: the last sequence number and its hash (kept in the phone's derived state). */
type ChainHead = { seq: number; hash: string };

export const newLedgerEventId = (): string => `evt_${randomUUID()}`;

/** The chain of one (agent, phone), as a record names it. */
export const chainIdOf = (agentId: string, phone: string): string => `${agentId}#${phone}`;

/**
 * The consent ledger in DynamoDB (RULES §1, §6): one hash chain per (agent, phone), every chain of
 * a phone and its global opt-outs in the phone's item collection, items never updated or deleted.
 * The chain heads live in the phone's derived state, which moves in the same transaction as each
 * append, conditioned on the version the appender read: two concurrent appends cannot both take
 * the same seq; the loser re-reads and retries.
 */
export class DynamoLedgerStore extends PhoneCollectionStore implements LedgerStore {
  private readonly newId: () => string;
  private readonly newOptOutId: () => string;

  constructor(options: LedgerStoreOptions) {
    super(options);
    this.newId = options.newId ?? newLedgerEventId;
    this.newOptOutId = options.newOptOutId ?? newOptOutId;
  }

  /** Uncontended: one GetItem (the phone's state) + one TransactWriteItems; each lost race adds both again. */
  async append(draft: LedgerEventDraft, recordedAt: string): Promise<LedgerRecord> {
    const id = this.newId();
    return this.appendRecord(draft.phone, 'ledger', (state) =>
      linkedRecord(draft, id, recordedAt, state?.chains[draft.agentId]),
    );
  }

  /**
   * `append`, unless the agent's chain already holds a record `same` accepts (the same evidence
   * imported again): then nothing is written and undefined comes back. The chain is listed only
   * when the phone's state shows one, so a number new to the agent costs what `append` costs; a
   * record appended meanwhile moves the state, and the transaction's condition makes it look again.
   */
  async appendUnlessRecorded(
    draft: LedgerEventDraft,
    recordedAt: string,
    same: (record: LedgerRecord) => boolean,
  ): Promise<LedgerRecord | undefined> {
    const id = this.newId();
    return this.appendToPhone<LedgerRecord | undefined>(draft.phone, async (state) => {
      const head = state?.chains[draft.agentId];
      if (head !== undefined && (await this.list(draft.agentId, draft.phone)).some(same))
        return { items: [], result: undefined };
      const record = linkedRecord(draft, id, recordedAt, head);
      return {
        items: phoneAppendItems(this.stateTables, draft.phone, state, { ledger: [record] }),
        result: record,
      };
    });
  }

  /** Like `append`, plus the phone's global opt-out in the same transaction: both are durable or neither is. */
  async appendOptOut(
    revocation: LedgerEventDraft,
    optOut: OptOutDraft,
    recordedAt: string,
  ): Promise<{ revocation: LedgerRecord; optOut: OptOutRecord }> {
    if (revocation.type !== 'revocation')
      throw new Error(`appendOptOut: expected a revocation, got ${revocation.type}`);
    if (revocation.phone !== optOut.phone)
      throw new Error('appendOptOut: the revocation and opt-out phones differ');
    const revocationId = this.newId();
    const optOutId = this.newOptOutId();
    return this.appendToPhone(revocation.phone, (state) => {
      const records = linkedOptOut(
        { revocation, optOut, recordedAt, revocationId, optOutId },
        state?.chains[revocation.agentId],
        state?.optOuts,
      );
      return {
        items: phoneAppendItems(this.stateTables, revocation.phone, state, {
          ledger: [records.revocation],
          optOuts: [records.optOut],
        }),
        result: records,
      };
    });
  }

  /** The chain in order, seq 1 first: one strongly consistent Query per 1 MB page. */
  async list(agentId: string, phone: string): Promise<LedgerRecord[]> {
    const items = await queryPhone(this.client, this.table, phone, chainPrefix(agentId));
    return items.map((item) => withoutEntry<LedgerRecord>(item));
  }

  /** Every agent's events for the phone, each chain in order: one strongly consistent Query. */
  async listByPhone(phone: string): Promise<LedgerRecord[]> {
    const items = await queryPhone(this.client, this.table, phone, LEDGER_PREFIX);
    return items.map((item) => withoutEntry<LedgerRecord>(item));
  }

  /** Every chain, the opt-outs and the derived state of the phone: one strongly consistent Query. */
  async readPhone(phone: string): Promise<PhoneRecords> {
    return phoneRecordsOf(phone, await queryPhone(this.client, this.table, phone));
  }

  /**
   * Re-hashes the chain from genesis and reports the first link that does not hold: a missing
   * seq, a `prevHash` that is not the previous event's hash, a `hash` that does not match the
   * event's contents, or a head (in the phone's derived state) that disagrees with the events.
   * One Query: the events and the head are read together.
   */
  async verify(agentId: string, phone: string): Promise<ChainVerification> {
    return verifyAgentChain(agentId, await this.readPhone(phone));
  }

  /**
   * Every chain of the phone — each agent's, then the opt-outs' — checked as {@link verify} checks
   * one, against the records it returns: one Query, so the chains, the heads and the records a
   * caller recomputes the derived state from are the same snapshot.
   */
  async verifyPhone(phone: string): Promise<{ records: PhoneRecords; chains: ChainVerification[] }> {
    const records = await this.readPhone(phone);
    const agentIds = [...new Set(records.ledger.map((record) => record.agentId))].sort();
    const chains = agentIds.map((agentId) => verifyAgentChain(agentId, records));
    chains.push(verifyOptOutChain(records));
    return { records, chains };
  }
}

/** One agent's chain of the phone's records against its head in the derived state read with them. */
function verifyAgentChain(agentId: string, { phone, ledger, state }: PhoneRecords): ChainVerification {
  const events = ledger.filter((event) => event.agentId === agentId);
  return verifyChain(chainIdOf(agentId, phone), events, state?.chains[agentId], 'event');
}

/** The next event of the chain after `head` (genesis when there is none), hashed. */
export function linkedRecord(
  draft: LedgerEventDraft,
  id: string,
  recordedAt: string,
  head: ChainHead | undefined,
): LedgerRecord {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const chainId = chainIdOf(draft.agentId, draft.phone);
  const unhashed = { ...draft, chainId, seq: (head?.seq ?? 0) + 1, id, recordedAt, prevHash };
  return { ...unhashed, hash: chainHash(prevHash, unhashed) };
}

/** A revocation and the global opt-out that names it, each linked to its own chain. */
export function linkedOptOut(
  parts: {
    revocation: LedgerEventDraft;
    optOut: OptOutDraft;
    recordedAt: string;
    revocationId: string;
    optOutId: string;
  },
  chainHead: ChainHead | undefined,
  optOutHead: ChainHead | undefined,
): { revocation: LedgerRecord; optOut: OptOutRecord } {
  // The opt-out names its revocation, so the two keep one place in the chain's order.
  return {
    revocation: linkedRecord(parts.revocation, parts.revocationId, parts.recordedAt, chainHead),
    optOut: optOutRecord(
      { ...parts.optOut, revocationId: parts.revocationId },
      parts.optOutId,
      parts.recordedAt,
      optOutHead,
    ),
  };
}
