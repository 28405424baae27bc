import type { LedgerRecord, OptOutRecord, PhoneState } from '../../ports';
import type { DynamoStoreOptions } from './document-client';
import { DynamoTableStore } from './items';
import { appendToPhone, phoneAppendItems, type PhoneAppend, type PhoneStateTables } from './phone-items';

/** What a phone collection store is built from; `maxAttempts` bounds an append's lost races (20 by default). */
export type PhoneCollectionStoreOptions = DynamoStoreOptions & { maxAttempts?: number };

type Kinds = { ledger: LedgerRecord; optOuts: OptOutRecord };

/**
 * A store of records kept in the phones' item collections of the ledger table (consent chains,
 * opt-outs): each record is put once, in one transaction with the move of the phone's derived
 * state it was linked to (see {@link appendToPhone}).
 */
export abstract class PhoneCollectionStore extends DynamoTableStore {
  private readonly maxAttempts: number | undefined;
  /** Where a move of a phone's state is written (the state, and its version's copy). */
  protected readonly stateTables: PhoneStateTables;

  protected constructor(options: PhoneCollectionStoreOptions) {
    super(options, 'ledger');
    this.maxAttempts = options.maxAttempts;
    this.stateTables = { ledger: options.tables.ledger, counters: options.tables.counters };
  }

  /** Uncontended: one GetItem (the phone's state) + one TransactWriteItems; each lost race adds both again. */
  protected appendToPhone<T>(
    phone: string,
    build: (state: PhoneState | undefined) => PhoneAppend<T> | Promise<PhoneAppend<T>>,
  ): Promise<T> {
    return appendToPhone(this.client, this.table, phone, build, { maxAttempts: this.maxAttempts });
  }

  /** Appends the one record of `kind` that `link` makes against the phone's state; see {@link appendToPhone}. */
  protected appendRecord<K extends keyof Kinds>(
    phone: string,
    kind: K,
    link: (state: PhoneState | undefined) => Kinds[K],
  ): Promise<Kinds[K]> {
    return this.appendToPhone(phone, (state) => {
      const record = link(state);
      return {
        items: phoneAppendItems(this.stateTables, phone, state, { [kind]: [record] }),
        result: record,
      };
    });
  }
}
