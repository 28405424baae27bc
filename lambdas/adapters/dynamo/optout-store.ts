import { randomUUID } from 'node:crypto';
import type { ChainVerification, OptOutDraft, OptOutRecord, OptOutStore, PhoneRecords } from '../../ports';
import { chainHash, GENESIS_HASH } from './ledger-hash';
import { verifyChain } from './chain-verify';
import { PhoneCollectionStore, type PhoneCollectionStoreOptions } from './phone-collection-store';
import { OPT_OUT_PREFIX, phoneRecordsOf, queryPhone, withoutEntry } from './phone-items';

export type OptOutStoreOptions = PhoneCollectionStoreOptions & {
  /** Id of a new record; random by default. */
  newId?: () => string;
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
export class DynamoOptOutStore extends PhoneCollectionStore implements OptOutStore {
  private readonly newId: () => string;

  constructor(options: OptOutStoreOptions) {
    super(options);
    this.newId = options.newId ?? newOptOutId;
  }

  /** Uncontended: one GetItem (the phone's state) + one TransactWriteItems. */
  async record(draft: OptOutDraft, recordedAt: string): Promise<OptOutRecord> {
    const id = this.newId();
    return this.appendRecord(draft.phone, 'optOuts', (state) =>
      optOutRecord(draft, id, recordedAt, state?.optOuts),
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
    return verifyOptOutChain(phoneRecordsOf(phone, await queryPhone(this.client, this.table, phone)));
  }
}

/** The phone's opt-out chain against its head in the derived state read with it. */
export function verifyOptOutChain({ phone, optOuts, state }: PhoneRecords): ChainVerification {
  return verifyChain(optOutChainId(phone), optOuts, state?.optOuts, 'opt-out');
}
