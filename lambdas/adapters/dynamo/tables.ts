/**
 * The DynamoDB tables, defined once: the CDK stack and the local runtime both build from this
 * module, so the deployed and local schemas cannot drift. Keys are strings unless noted.
 *
 * Access patterns are listed in README ("Storage").
 */

export type KeyType = 'S' | 'N';
export type KeyAttribute = { name: string; type: KeyType };
/**
 * What an index copies of each item besides the keys: everything (`ALL`, the default) or
 * nothing (`KEYS_ONLY`). A keys-only index is written only when its keys change, not on every
 * update of the item; its readers fetch the items by key.
 */
export type IndexProjection = 'ALL' | 'KEYS_ONLY';
export type IndexDefinition = {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection?: IndexProjection;
};
export type TableDefinition = {
  /** Logical name; the physical name comes from configuration (`TABLE_<LOGICAL>` / a local prefix). */
  logicalName: TableName;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexDefinition[];
  timeToLiveAttribute?: string;
  /** Append-only tables: no function may update or delete their items (RULES §1, §6). */
  appendOnly: boolean;
  /**
   * The TTL attribute of an audit record's retention (RULES §6, ≥ 5 years): set when the item is
   * created and never changed after, so no code path can shorten it and let TTL erase the record.
   */
  retention?: string;
  /**
   * Append-only tables only: the sort-key values of the few items that are state, not records
   * (the phone's derived state beside its consent records). They are replaced whole by a
   * conditional Put, never updated in place, and the stream watch does not alarm on them.
   */
  stateItems?: { sortKeyValues: readonly string[] };
};

export type TableName =
  | 'agents'
  | 'contacts'
  | 'ledger'
  | 'messages'
  | 'messageEvents'
  | 'counters'
  | 'numbers'
  | 'erasures'
  | 'blackouts';

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

export const tables: Record<TableName, TableDefinition> = {
  /** Agents and uniqueness guards (`guard#sender#<E.164>`) for their sender numbers. */
  agents: {
    logicalName: 'agents',
    partitionKey: S('agentId'),
    indexes: [
      { indexName: 'byApiKeyHash', partitionKey: S('apiKeyHash') },
      { indexName: 'bySenderNumber', partitionKey: S('senderNumber') },
    ],
    appendOnly: false,
  },
  /** One item per (agent, contact phone); enrollment and double opt-in state live here. */
  contacts: {
    logicalName: 'contacts',
    partitionKey: S('agentId'),
    sortKey: S('phone'),
    indexes: [],
    appendOnly: false,
  },
  /**
   * Everything about one phone's consent, in one item collection (pk `phone`), read with one
   * strongly consistent Query: every agent's hash chain (`chain#<agentId>#<seq>`, seq 1, 2, 3…),
   * the global opt-outs of the number, hash-chained too (`optout#<seq>`; they apply to every
   * agent), and the derived state those add up to (`state`: chain heads, opt-out head, version).
   * Records are put once and never updated or deleted; the state is replaced by a conditional Put
   * in the same transaction as each record.
   */
  ledger: {
    logicalName: 'ledger',
    partitionKey: S('phone'),
    sortKey: S('entry'),
    indexes: [],
    appendOnly: true,
    stateItems: { sortKeyValues: ['state'] },
  },
  /**
   * The message log: every outbound text, inbound webhook and scheduled drip step, one small item
   * each (its state; a sent text's history of recurring statuses is in `messageEvents`).
   */
  messages: {
    logicalName: 'messages',
    partitionKey: S('messageId'),
    indexes: [
      // Keys only: a status change rewrites the message, not these indexes; readers get by key.
      { indexName: 'byAgent', partitionKey: S('agentId'), sortKey: S('createdAt'), projection: 'KEYS_ONLY' },
      // A phone's texts from every agent; a contact's conversation is the agent's share of them.
      { indexName: 'byPhone', partitionKey: S('phone'), sortKey: S('createdAt'), projection: 'KEYS_ONLY' },
      { indexName: 'byTwilioSid', partitionKey: S('twilioSid'), projection: 'KEYS_ONLY' },
      { indexName: 'byDue', partitionKey: S('dueShard'), sortKey: S('dueAt') },
      // Sparse: only held messages carry releaseShard; the release reconciler reads it.
      { indexName: 'byRelease', partitionKey: S('releaseShard'), sortKey: S('releaseAt') },
    ],
    timeToLiveAttribute: 'expiresAt',
    retention: 'expiresAt',
    appendOnly: false,
  },
  /**
   * A sent text's status history (pk `messageId`, sk `entry` = `<instant>#<tiebreak>`, in order):
   * one item per move into a status that can recur (scheduled, queued, held, sending,
   * needs_review), with the gate's receipt when the move was a decision; put once by the move's
   * own transaction, never changed, kept as long as its message. The moves into `sent` and the
   * final statuses happen at most once each and are kept on the message item instead.
   */
  messageEvents: {
    logicalName: 'messageEvents',
    partitionKey: S('messageId'),
    sortKey: S('entry'),
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
    retention: 'expiresAt',
    appendOnly: false,
  },
  /** Small mutable state: Twilio block lists, per-recipient recent sends, per-agent daily counts, sweep cursor. */
  counters: {
    logicalName: 'counters',
    partitionKey: S('key'),
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
    appendOnly: false,
  },
  /**
   * Per phone: the latest Lookup answers (`check#reassigned`, `check#line_type`, overwritten) and
   * `number_reassigned` events (`reassigned#<ISO time>`, put once, never updated or deleted).
   */
  numbers: {
    logicalName: 'numbers',
    partitionKey: S('phone'),
    sortKey: S('sk'),
    indexes: [],
    appendOnly: false,
  },
  /**
   * Contact erasures at the contact's request, per (agent, contact) (`sk` = `<phone>#<ISO time>`):
   * who, when and why, and which fields went; never updated or deleted.
   */
  erasures: {
    logicalName: 'erasures',
    partitionKey: S('agentId'),
    sortKey: S('sk'),
    indexes: [],
    appendOnly: true,
  },
  /**
   * State-of-emergency blackouts, one partition (`scope` = `blackouts`; a handful a year). `sk` =
   * `end#<declared end>#<id>` for a declaration and the same plus `#ended` for its early end, so
   * what may still hold a text is one Query from now on. Both are put once, never changed.
   */
  blackouts: {
    logicalName: 'blackouts',
    partitionKey: S('scope'),
    sortKey: S('sk'),
    indexes: [],
    appendOnly: true,
  },
};

export const tableList: TableDefinition[] = Object.values(tables);

/** Physical table names, resolved once from configuration. */
export type TableNames = Record<TableName, string>;

/** `TABLE_AGENTS`, `TABLE_LEDGER`… as set by the stack; locally a prefix is used instead. */
export function tableNamesFromEnv(env: NodeJS.ProcessEnv = process.env): TableNames {
  const names = {} as TableNames;
  for (const table of tableList) {
    const variable = `TABLE_${table.logicalName.toUpperCase()}`;
    const value = env[variable];
    if (!value) throw new Error(`configuration: ${variable} is not set`);
    names[table.logicalName] = value;
  }
  return names;
}

/** Table names for a local or test deployment sharing one engine. */
export function prefixedTableNames(prefix: string): TableNames {
  const names = {} as TableNames;
  for (const table of tableList) names[table.logicalName] = `${prefix}${table.logicalName}`;
  return names;
}
