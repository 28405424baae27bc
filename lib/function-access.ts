import type { TableName } from '../lambdas/adapters/dynamo/tables';
import { tableList } from '../lambdas/adapters/dynamo/tables';

/**
 * What a function may change. Every function may read every table and the app secret; writes,
 * enqueues and schedule creation are granted only where listed here.
 */
export type FunctionAccess = {
  /**
   * Tables the function writes. An append-only table (ledger, opt-outs) gets `PutItem` only, so
   * nothing can rewrite or erase a consent record; the others get `PutItem` and `UpdateItem`.
   * No function is ever given `DeleteItem` or `BatchWriteItem` (a batch write can delete).
   */
  writes: readonly TableName[];
  /** Puts messages on the send queue (`sqs:SendMessage`). */
  enqueues?: boolean;
  /** Books release schedules (`scheduler:CreateSchedule` in the app's group + `iam:PassRole` of its role). */
  schedules?: boolean;
  /** Puts captured webhooks on the SMS fallback queue (`sqs:SendMessage`). */
  captures?: boolean;
};

const none: FunctionAccess = { writes: [] };

/**
 * Access by function key (an HTTP handler key from `httpHandlers`, or a background function),
 * derived from the stores each use case calls. A ledger append moves the chain head in the
 * counters table in the same transaction; an opt-out from a STOP writes the ledger's revocation
 * and the opt-out record together.
 */
export const functionAccess: Readonly<Record<string, FunctionAccess>> = {
  // Agent/admin API
  'agents.create': { writes: ['agents'] },
  'agents.suspend': { writes: ['agents'] },
  'agents.resume': { writes: ['agents'] },
  'contacts.put': { writes: ['contacts'] },
  'contacts.get': none,
  'contacts.messages': none,
  'consent.append': { writes: ['ledger', 'counters'] },
  'consent.history': none,
  'imports.create': { writes: ['contacts', 'ledger', 'counters'] },
  'ledger.verify': none,
  'openapi.get': none,
  'audit.messages': none,
  'audit.phone': none,
  // Messages and the drip cadence
  'messages.create': { writes: ['messages'], enqueues: true, schedules: true },
  'messages.get': none,
  'messages.edit': { writes: ['messages'] },
  'enroll.create': { writes: ['contacts', 'messages', 'counters'], enqueues: true },
  'enroll.delete': { writes: ['contacts', 'messages'] },
  'cadence.get': none,
  'cadence.put': { writes: ['counters'] },
  // Twilio webhooks: STOP/START/HELP and forwarding; delivery status (21610 → global opt-out); calls
  'twilio.sms': { writes: ['contacts', 'ledger', 'optouts', 'messages', 'counters'], enqueues: true },
  'twilio.status': { writes: ['messages', 'optouts'] },
  'twilio.voice': none,
  // The Fallback URL only queues what Twilio sent; the processor applies it like the primary webhook
  'twilio.sms-fallback': { writes: [], captures: true },
  'sms-fallback-processor': {
    writes: ['contacts', 'ledger', 'optouts', 'messages', 'counters'],
    enqueues: true,
  },
  // Background: the send worker claims a send, re-decides, holds (a release schedule) or sends
  'send-worker': { writes: ['messages', 'counters', 'optouts'], schedules: true },
  sweep: { writes: ['messages', 'counters'], enqueues: true },
  'contacts.list': none,
  // Agent keys: rotate (new key, old one kept for an overlap), revoke all, their record
  'agents.rotate-key': { writes: ['agents'] },
  'agents.revoke-keys': { writes: ['agents'] },
  'agents.key-events': none,
  // Background: held texts past their release go back on the queue (reads the sparse release index)
  'release-reconciler': { writes: [], enqueues: true },
};

/**
 * The access of a function nobody has declared yet (a route added since this table was last
 * edited): every write the application performs, still never an update or delete of an
 * append-only table. The stack warns at synth and a test fails until the key is declared.
 */
export const undeclaredAccess: FunctionAccess = {
  writes: tableList.map((table) => table.logicalName),
  enqueues: true,
  schedules: true,
};

/** The declared access of `key`, or {@link undeclaredAccess}. */
export function accessOf(key: string): { access: FunctionAccess; declared: boolean } {
  const access = functionAccess[key];
  return access === undefined ? { access: undeclaredAccess, declared: false } : { access, declared: true };
}
