import type { TableName } from '../lambdas/adapters/dynamo/tables';
import { tableList } from '../lambdas/adapters/dynamo/tables';

/** A secret a function may read: the admin key's HMAC with its pepper, or the Twilio credentials. */
export type SecretName = 'admin' | 'twilio';

/**
 * What a function may read and change; nothing else is granted. Reads and writes are declared
 * per function, from the stores its use cases call.
 */
export type FunctionAccess = {
  /**
   * Tables (and their indexes) the function reads: GetItem, BatchGetItem, Query and
   * ConditionCheckItem. Every authenticated route reads `agents` (the key lookup).
   */
  reads: readonly TableName[];
  /**
   * Tables the function writes. An append-only table (ledger, opt-outs) gets `PutItem` only, so
   * nothing can rewrite or erase a consent record; the others get `PutItem` and `UpdateItem`.
   * No function is ever given `DeleteItem` or `BatchWriteItem` (a batch write can delete).
   */
  writes: readonly TableName[];
  /**
   * Secrets the function reads: `admin` for routes that accept the admin key (the HMAC and its
   * pepper), `twilio` for the functions that call Twilio or verify its webhook signatures.
   */
  secrets?: readonly SecretName[];
  /**
   * Tables the function may Scan: only the admin's agent listing reads the agents table whole
   * (tens of items); no other function scans.
   */
  scans?: readonly TableName[];
  /** Puts messages on the send queue (`sqs:SendMessage`). */
  enqueues?: boolean;
  /** Books release schedules (`scheduler:CreateSchedule` in the app's group + `iam:PassRole` of its role). */
  schedules?: boolean;
  /** Puts captured webhooks on the SMS fallback queue (`sqs:SendMessage`). */
  captures?: boolean;
};

const allTables: readonly TableName[] = tableList.map((table) => table.logicalName);
// What folding a contact's consent reads: the phone's item collection in the ledger (every chain,
// its opt-outs, its derived state), its reassignments (numbers) and Twilio's block list (counters).
const consentReads: readonly TableName[] = ['agents', 'contacts', 'ledger', 'counters', 'numbers'];
const adminOnly = (access: Omit<FunctionAccess, 'secrets'>): FunctionAccess => ({
  ...access,
  secrets: ['admin'],
});

/**
 * Access by function key (an HTTP handler key from `httpHandlers`, or a background function),
 * derived from the stores each use case calls. A ledger append or an opt-out moves the phone's
 * derived state (in the ledger table) in the same transaction; a STOP writes the inbound log
 * entry, the revocation, the opt-out, the state, the confirmation, Twilio's block list and the
 * contact together; a reassignment (numbers) moves the phone's state in the ledger too.
 */
export const functionAccess: Readonly<Record<string, FunctionAccess>> = {
  // Agent/admin API
  'agents.create': adminOnly({ reads: ['agents'], writes: ['agents'] }),
  'agents.suspend': adminOnly({ reads: ['agents'], writes: ['agents'] }),
  'agents.resume': adminOnly({ reads: ['agents'], writes: ['agents'] }),
  // Intake looks the line type up once per phone (Twilio Lookup, so the Twilio secret)
  'contacts.put': { reads: consentReads, writes: ['contacts', 'numbers'], secrets: ['twilio'] },
  'contacts.get': { reads: consentReads, writes: [] },
  'contacts.messages': { reads: allTables, writes: [] },
  // A revocation ends the cadence: the enrollment and its pending steps
  'consent.append': { reads: allTables, writes: ['ledger', 'counters', 'contacts', 'messages'] },
  'consent.history': { reads: consentReads, writes: [] },
  'imports.create': {
    reads: consentReads,
    writes: ['contacts', 'ledger', 'counters', 'numbers'],
    secrets: ['twilio'],
  },
  'ledger.verify': adminOnly({ reads: ['agents', 'ledger', 'numbers'], writes: [] }),
  // Unauthenticated and static: no table, no secret.
  'openapi.get': { reads: [], writes: [] },
  'audit.messages': adminOnly({ reads: ['agents', 'messages'], writes: [] }),
  'audit.phone': adminOnly({ reads: ['agents', 'ledger', 'messages', 'counters'], writes: [] }),
  // Messages and the drip cadence
  'messages.create': { reads: allTables, writes: ['messages'], enqueues: true, schedules: true },
  'messages.get': { reads: ['agents', 'messages'], writes: [] },
  'messages.edit': { reads: allTables, writes: ['messages'] },
  'enroll.create': { reads: allTables, writes: ['contacts', 'messages', 'counters'], enqueues: true },
  'enroll.delete': { reads: ['agents', 'contacts', 'messages'], writes: ['contacts', 'messages'] },
  'cadence.get': { reads: ['agents', 'counters'], writes: [] },
  'cadence.put': { reads: ['agents', 'counters'], writes: ['counters'] },
  // Twilio webhooks: STOP/START/HELP and forwarding; delivery status (21610 → global opt-out); calls
  'twilio.sms': {
    reads: allTables,
    writes: ['contacts', 'ledger', 'messages', 'counters'],
    secrets: ['twilio'],
    enqueues: true,
  },
  // 21610 → global opt-out, and the cadence it ends
  'twilio.status': {
    reads: allTables,
    writes: ['messages', 'ledger', 'counters', 'contacts'],
    secrets: ['twilio'],
  },
  'twilio.voice': { reads: ['agents'], writes: [], secrets: ['twilio'] },
  // The Fallback URL only queues what Twilio sent; the processor verifies and applies it like the primary webhook
  'twilio.sms-fallback': { reads: [], writes: [], captures: true },
  'sms-fallback-processor': {
    reads: allTables,
    writes: ['contacts', 'ledger', 'messages', 'counters'],
    secrets: ['twilio'],
    enqueues: true,
  },
  // Background: the send worker claims a send, re-decides, checks the number (Lookup), holds or sends
  'send-worker': {
    reads: allTables,
    writes: ['messages', 'counters', 'ledger', 'contacts', 'numbers'],
    secrets: ['twilio'],
    schedules: true,
  },
  sweep: { reads: allTables, writes: ['messages', 'counters'], enqueues: true },
  // Background: held texts past their release go back on the queue (reads the sparse release index)
  'release-reconciler': { reads: ['messages'], writes: [], enqueues: true },
  // Watches the append-only tables' streams; reads only the stream records it is handed.
  'append-only-watch': { reads: [], writes: [] },
  // Consent request: the contact's request slot, the message (queued or held)
  'consent.request': { reads: allTables, writes: ['contacts', 'messages'], enqueues: true, schedules: true },
  'contacts.list': { reads: consentReads, writes: [] },
  // The server's clock (the test clock locally): no data at all
  'time.get': { reads: [], writes: [] },
  // Agent keys: rotate (new key, old one kept for an overlap), revoke all, their record
  'agents.rotate-key': adminOnly({ reads: ['agents'], writes: ['agents'] }),
  'agents.revoke-keys': adminOnly({ reads: ['agents'], writes: ['agents'] }),
  'agents.key-events': adminOnly({ reads: ['agents'], writes: [] }),
  // The brokerage's agents, for the admin (the brokerage-wide audit export)
  'agents.list': adminOnly({ reads: ['agents'], writes: [], scans: ['agents'] }),
  // Consent events and opt-outs of an agent's contacts over a date range
  'audit.consent': adminOnly({ reads: ['agents', 'contacts', 'ledger'], writes: [] }),
  // Erasure: the contact's personal fields and the put-only record; an active cadence stops
  'contacts.erase': {
    reads: ['agents', 'contacts', 'messages', 'erasures'],
    writes: ['contacts', 'erasures', 'messages'],
  },
  // State-of-emergency blackouts: a declaration and an early end are put once each (append-only)
  'blackouts.declare': adminOnly({ reads: ['agents', 'blackouts'], writes: ['blackouts'] }),
  'blackouts.list': adminOnly({ reads: ['agents', 'blackouts'], writes: [] }),
  // Ending one early puts the texts it held back on the queue (read from the sparse release index)
  'blackouts.end': adminOnly({
    reads: ['agents', 'blackouts', 'messages'],
    writes: ['blackouts'],
    enqueues: true,
  }),
};

/**
 * The access of a function nobody has declared yet (a route added since this table was last
 * edited): every write the application performs, still never an update or delete of an
 * append-only table. The stack warns at synth and a test fails until the key is declared.
 */
export const undeclaredAccess: FunctionAccess = {
  reads: tableList.map((table) => table.logicalName),
  writes: tableList.map((table) => table.logicalName),
  secrets: ['admin', 'twilio'],
  enqueues: true,
  schedules: true,
};

/** The declared access of `key`, or {@link undeclaredAccess}. */
export function accessOf(key: string): { access: FunctionAccess; declared: boolean } {
  const access = functionAccess[key];
  return access === undefined ? { access: undeclaredAccess, declared: false } : { access, declared: true };
}
