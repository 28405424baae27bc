import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChainVerification, OptOutDraft, OptOutRecord, OptOutStore } from '../../ports';
import type { DynamoStoreOptions } from './document-client';
import { chainHash, GENESIS_HASH } from './ledger-hash';
import { verifyChain } from './chain-verify';
import {
  appendToPhone,
  OPT_OUT_PREFIX,
  phoneAppendItems,
  phoneRecordsOf,
  queryPhone,
  withoutEntry,
} from './phone-items';

export type OptOutStoreOptions = DynamoStoreOptions & {
  /** Id of a new record; random by default. */
  newId?: () => string;
  /** How many times a record re-reads the phone's state after losing a race; 20 by default. */
  maxAttempts?: number;
};

export const newOptOutId = (): string => `opt_${randomUUID()}`;

/** The chain of one phone's opt-outs; also the id `verify` reports. */
export const optOutChainId = (phone: string): string => `optouts#${phone}`;

type ChainHead = { seq: number; hash: string };

/** The stored form of an opt-out after `head`: `sk` orders it by time, `seq` links it. */
export function optOutRecord(
  draft: OptOutDraft,
  id: string,
  recordedAt: string,
  head: ChainHead | undefined,
): OptOutRecord {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const unhashed = { ...draft, id, sk: `${draft.at}#${id}`, recordedAt, seq: (head?.seq ?? 0) + 1, prevHash };
  return { ...unhashed, hash: chainHash(prevHash, unhashed) };
}

/**
 * Global opt-outs in DynamoDB: append-only, in the phone's item collection of the ledger table,
 * hash-chained per phone (the head in the phone's derived state, moved in the same transaction
 * as each record), so a removed, edited or reordered opt-out fails `verify` — as the ledger's
 * chains do.
 */
export class DynamoOptOutStore implements OptOutStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly newId: () => string;
  private readonly maxAttempts: number | undefined;

  constructor(options: OptOutStoreOptions) {
    this.client = options.client;
    this.table = options.tables.ledger;
    this.newId = options.newId ?? newOptOutId;
    this.maxAttempts = options.maxAttempts;
  }

  /** Uncontended: one GetItem (the phone's state) + one TransactWriteItems. */
  async record(draft: OptOutDraft, recordedAt: string): Promise<OptOutRecord> {
    const id = this.newId();
    return appendToPhone(
      this.client,
      this.table,
      draft.phone,
      (state) => {
        const record = optOutRecord(draft, id, recordedAt, state?.optOuts);
        return {
          items: phoneAppendItems(this.table, draft.phone, state, { optOuts: [record] }),
          result: record,
        };
      },
      { maxAttempts: this.maxAttempts },
    );
  }

  /** Every opt-out of the phone, oldest first: one strongly consistent Query per 1 MB page. */
  async list(phone: string): Promise<OptOutRecord[]> {
    const items = await queryPhone(this.client, this.table, phone, OPT_OUT_PREFIX);
    return items
      .map((item) => withoutEntry<OptOutRecord>(item))
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  }

  /** The records in chain order against the head: a missing seq, a bad link or hash, a head that disagrees. */
  async verify(phone: string): Promise<ChainVerification> {
    const { optOuts, state } = phoneRecordsOf(phone, await queryPhone(this.client, this.table, phone));
    return verifyChain(optOutChainId(phone), optOuts, state?.optOuts, 'opt-out');
  }
}
