import type { ChainVerification, LedgerRecord, LoggedText, OptOutRecord } from '../ports';
import type { Deps } from './deps';
import { Conflict, InvalidInput } from './errors';

/** Messages per export page unless the caller asks for another size. */
export const DEFAULT_AUDIT_PAGE_SIZE = 200;
export const MAX_AUDIT_PAGE_SIZE = 1000;
/** Widest range an export may name: the bounds every instant of the API is held to. */
export const AUDIT_EPOCH = '1990-01-01T00:00:00.000Z';
export const AUDIT_END = '2100-12-31T23:59:59.999Z';

// A page reads at most this many store pages, so a sparse range answers in bounded time; it
// then returns what it has with a cursor, which may mean fewer items than asked for, even none.
const MAX_STORE_PAGES_PER_REQUEST = 20;

export type MessageAuditQuery = {
  agentId: string;
  /** Inclusive lower bound on `createdAt`. */
  from: string;
  /** Exclusive upper bound on `createdAt`. */
  to: string;
  /** Only the messages to this phone. */
  phone?: string;
  /** From the previous page; absent for the first page. */
  cursor?: string;
  limit: number;
};

/**
 * One page of the message log, oldest first, each record complete (body, receipt, status
 * history). `cursor` is present whenever anything may be left: the export is finished only
 * when a page comes back without one.
 */
export type MessageAuditPage = {
  agentId: string;
  from: string;
  to: string;
  phone?: string;
  items: LoggedText[];
  cursor?: string;
};

/** A consent ledger chain of one (agent, phone), in sequence order, with its hash check. */
export type ChainAudit = {
  agentId: string;
  chainId: string;
  events: LedgerRecord[];
  verification: ChainVerification;
};

/** Everything on record about a phone across agents: every consent chain and every global opt-out. */
export type PhoneAudit = { phone: string; chains: ChainAudit[]; optOuts: OptOutRecord[] };

/**
 * Where a page ends: the store page it started from (`s`), how many of that page's items were
 * already returned (`k`) and the id of the last one (`m`), bound to the query (`q`) it belongs to.
 * Re-reading the store page and checking `m` means a listing that changed under the cursor is
 * reported (409), never skipped over.
 */
type AuditCursor = { q: string; s?: string; k: number; m?: string };

/**
 * A page of an agent's message log for the audit export (RULES §6: per agent, per phone, per
 * date range). Messages are read from the agent's log (or the contact's, with `phone`) in
 * creation order; nothing in range is dropped at a page boundary.
 */
export async function auditMessages(
  deps: Pick<Deps, 'stores'>,
  query: MessageAuditQuery,
): Promise<MessageAuditPage> {
  const fingerprint = [query.agentId, query.phone ?? '', query.from, query.to].join('|');
  const start =
    query.cursor === undefined ? { q: fingerprint, k: 0 } : decodeCursor(query.cursor, fingerprint);
  const page =
    query.phone === undefined
      ? await agentPage(deps, query, start)
      : await contactPage(deps, { ...query, phone: query.phone }, start);
  const result: MessageAuditPage = {
    agentId: query.agentId,
    from: query.from,
    to: query.to,
    items: page.items,
  };
  if (query.phone !== undefined) result.phone = query.phone;
  if (page.next !== undefined) result.cursor = encodeCursor(page.next);
  return result;
}

/**
 * Every consent chain holding the phone (each event in sequence order, re-hashed) and every
 * global opt-out of it, whoever recorded them: the admin's view for an audit.
 */
export async function auditPhone(deps: Pick<Deps, 'stores'>, phone: string): Promise<PhoneAudit> {
  const [records, optOuts] = await Promise.all([
    deps.stores.ledger.listByPhone(phone),
    deps.stores.optouts.list(phone),
  ]);
  const byChain = new Map<string, LedgerRecord[]>();
  for (const record of records) byChain.set(record.chainId, [...(byChain.get(record.chainId) ?? []), record]);
  const chains = await Promise.all(
    [...byChain.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([chainId, events]): Promise<ChainAudit> => {
        const sorted = events.sort((a, b) => a.seq - b.seq);
        const agentId = (sorted[0] as LedgerRecord).agentId;
        return {
          agentId,
          chainId,
          events: sorted,
          verification: await deps.stores.ledger.verify(agentId, phone),
        };
      }),
  );
  return { phone, chains, optOuts };
}

type PageResult = { items: LoggedText[]; next?: AuditCursor };

async function agentPage(
  deps: Pick<Deps, 'stores'>,
  query: MessageAuditQuery,
  start: AuditCursor,
): Promise<PageResult> {
  const items: LoggedText[] = [];
  let storeCursor = start.s;
  let skip = start.k;
  let expectedLast = start.m;
  for (let read = 0; read < MAX_STORE_PAGES_PER_REQUEST; read++) {
    const page = await storePage(deps, query, storeCursor);
    checkResumePoint(page.items, skip, expectedLast);
    const rest = page.items.slice(skip);
    const room = query.limit - items.length;
    if (rest.length > room) {
      items.push(...rest.slice(0, room));
      return { items, next: resumeAt(start.q, storeCursor, skip + room, items) };
    }
    items.push(...rest);
    if (page.cursor === undefined) return { items };
    storeCursor = page.cursor;
    skip = 0;
    expectedLast = undefined;
    if (items.length === query.limit) break;
  }
  return { items, next: { q: start.q, s: storeCursor, k: 0 } };
}

async function contactPage(
  deps: Pick<Deps, 'stores'>,
  query: MessageAuditQuery & { phone: string },
  start: AuditCursor,
): Promise<PageResult> {
  const all = await deps.stores.messages.listByContact(query.agentId, query.phone);
  const inRange = all
    .filter((message) => message.createdAt >= query.from && message.createdAt < query.to)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.messageId.localeCompare(b.messageId));
  checkResumePoint(inRange, start.k, start.m);
  const end = start.k + query.limit;
  const items = inRange.slice(start.k, end);
  return end < inRange.length ? { items, next: resumeAt(start.q, undefined, end, items) } : { items };
}

async function storePage(
  deps: Pick<Deps, 'stores'>,
  query: MessageAuditQuery,
  cursor: string | undefined,
): Promise<{ items: LoggedText[]; cursor?: string }> {
  try {
    return await deps.stores.messages.listByAgent(query.agentId, { from: query.from, to: query.to }, cursor);
  } catch (error) {
    // The store checks its own cursor; a forged one is the caller's mistake, not ours.
    if (error instanceof InvalidInput) throw invalidCursor(error.message);
    throw error;
  }
}

function resumeAt(q: string, s: string | undefined, k: number, items: LoggedText[]): AuditCursor {
  const cursor: AuditCursor = { q, k };
  if (s !== undefined) cursor.s = s;
  const last = items.at(-1);
  if (last !== undefined) cursor.m = last.messageId;
  return cursor;
}

/** The item before the resume point must be the last one the previous page returned. */
function checkResumePoint(items: LoggedText[], skip: number, expectedLast: string | undefined): void {
  if (skip === 0 || expectedLast === undefined) return;
  if (items[skip - 1]?.messageId !== expectedLast) {
    throw new Conflict(
      'listing_changed',
      'the message log changed under this cursor; restart the export from the first page',
    );
  }
}

function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, fingerprint: string): AuditCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('cursor: not a cursor of this export');
  }
  if (!isAuditCursor(parsed)) throw invalidCursor('cursor: not a cursor of this export');
  if (parsed.q !== fingerprint) {
    throw invalidCursor('cursor: belongs to another export (agentId, phone, from and to must not change)');
  }
  return parsed;
}

function isAuditCursor(value: unknown): value is AuditCursor {
  if (typeof value !== 'object' || value === null) return false;
  const { q, s, k, m } = value as Record<string, unknown>;
  return (
    typeof q === 'string' &&
    (s === undefined || typeof s === 'string') &&
    typeof k === 'number' &&
    Number.isInteger(k) &&
    k >= 0 &&
    (m === undefined || typeof m === 'string')
  );
}

function invalidCursor(message: string): InvalidInput {
  return new InvalidInput('cursor', message.replace(/^cursor: /, ''));
}
