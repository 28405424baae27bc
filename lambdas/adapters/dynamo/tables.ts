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
};

export type TableName =
  | 'agents'
  | 'contacts'
  | 'ledger'
  | 'optouts'
  | 'messages'
  | 'counters'
  | 'numbers'
  | 'erasures'
  | 'blackouts';

const S = (name: string): KeyAttribute => ({ name, type: 'S' });
const N = (name: string): KeyAttribute => ({ name, type: 'N' });

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
  /** The consent ledger: one hash chain per (agent, phone), `seq` 1, 2, 3…; never updated or deleted. */
  ledger: {
    logicalName: 'ledger',
    partitionKey: S('chainId'),
    sortKey: N('seq'),
    indexes: [{ indexName: 'byPhone', partitionKey: S('phone'), sortKey: S('recordedAt') }],
    appendOnly: true,
  },
  /** Global opt-outs by phone (`sk` = `<ISO time>#<id>`); apply to every agent; never updated or deleted. */
  optouts: {
    logicalName: 'optouts',
    partitionKey: S('phone'),
    sortKey: S('sk'),
    indexes: [],
    appendOnly: true,
  },
  /** The message log: every outbound text, inbound webhook and scheduled drip step, with receipts. */
  messages: {
    logicalName: 'messages',
    partitionKey: S('messageId'),
    indexes: [
      // Keys only: a status change rewrites the message, not these indexes; readers get by key.
      {
        indexName: 'byContact',
        partitionKey: S('agentPhone'),
        sortKey: S('createdAt'),
        projection: 'KEYS_ONLY',
      },
      { indexName: 'byAgent', partitionKey: S('agentId'), sortKey: S('createdAt'), projection: 'KEYS_ONLY' },
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
  /** Small mutable state: chain heads, per-recipient recent sends, per-agent daily counts, sweep cursor. */
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
