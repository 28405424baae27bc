import type { TableName } from '../lambdas/adapters/dynamo/tables';
import { allTables, type FunctionAccess } from '../lambdas/handlers/route';
import { httpRoutes } from '../lambdas/handlers/routes';
import type { BackgroundFunction, FunctionKey, StreamFunction } from './function-entries';

export type { FunctionAccess, SecretName } from '../lambdas/handlers/route';

/**
 * The access of the functions no route reaches, derived from the stores their use cases call.
 * Routes declare their own (`access` in their definition).
 */
const backgroundAccess: Record<BackgroundFunction | StreamFunction, FunctionAccess> = {
  // Applies what the Fallback URL captured like the primary webhook
  'sms-fallback-processor': {
    reads: allTables,
    writes: ['contacts', 'ledger', 'messages', 'counters'],
    secrets: ['twilio'],
    enqueues: true,
  },
  // Background: the send worker claims a send, re-decides, checks the number (Lookup), holds or sends;
  // a 21610 or a reassignment moves the phone's derived state in the ledger table
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
};

/**
 * Access by function key: each route's own declaration, then the background functions'. A ledger
 * append moves the chain head in the counters table in the same transaction; an opt-out from a
 * STOP writes the ledger's revocation and the opt-out record (and the opt-out chain's head)
 * together.
 */
const accessByKey: Readonly<Record<FunctionKey, FunctionAccess>> = {
  ...(Object.fromEntries(httpRoutes.map((route) => [route.key, route.access])) as Record<
    (typeof httpRoutes)[number]['key'],
    FunctionAccess
  >),
  ...backgroundAccess,
};
export const functionAccess: Readonly<Record<string, FunctionAccess>> = Object.fromEntries(
  Object.entries(accessByKey).map(([key, access]) => [key, withMessageHistory(access)]),
);

/** A message's history is part of the message: whoever reads or writes messages does the same with it. */
function withMessageHistory(access: FunctionAccess): FunctionAccess {
  const add = (tables: readonly TableName[]): readonly TableName[] =>
    tables.includes('messages') && !tables.includes('messageEvents') ? [...tables, 'messageEvents'] : tables;
  return { ...access, reads: add(access.reads), writes: add(access.writes) };
}
