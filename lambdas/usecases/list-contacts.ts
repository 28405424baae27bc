import type { Agent, Contact } from '../ports';
import { loadConsentRecords } from './consent-events';
import type { ConsentBadge, ConsentView } from '../compliance/types';
import { summarizeConsent } from './consent-summary';
import type { Deps } from './deps';
import { invalidField } from './errors';

export { CONSENT_BADGES } from '../compliance/types';

export const DEFAULT_CONTACT_PAGE_SIZE = 25;
export const MAX_CONTACT_PAGE_SIZE = 100;

// A request reads at most this many stored contacts, so a filter that matches little answers in
// bounded time: it then returns what it found with a cursor (possibly no items at all).
const MAX_EXAMINED_PER_REQUEST = 400;
const STORE_PAGE_SIZE = 100;
// A search with this many digits is also matched against the phone number.
const MIN_PHONE_DIGITS = 3;

export type ContactListQuery = {
  limit: number;
  cursor?: string;
  /** Part of the name (any case, accents ignored) or of the phone number (digits). */
  q?: string;
  badge?: ConsentBadge;
};

export type ContactListItem = { contact: Contact; consent: ConsentView };

/** A page of contacts; more may follow only when `nextCursor` is present. */
export type ContactListPage = { items: ContactListItem[]; nextCursor?: string };

/**
 * A page of the agent's contacts in phone order, each with what its consent allows now,
 * filtered by a name/phone search and a consent badge. Reads only the agent's own partition.
 */
export async function listContacts(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  query: ContactListQuery,
): Promise<ContactListPage> {
  const at = deps.clock.now();
  const matchesText = textMatcher(query.q);
  const items: ContactListItem[] = [];
  let after = query.cursor === undefined ? undefined : decodeContactCursor(query.cursor);
  let examined = 0;
  let more = true;
  while (more && items.length < query.limit && examined < MAX_EXAMINED_PER_REQUEST) {
    const page = await deps.stores.contacts.listPage(agent.agentId, { after, limit: STORE_PAGE_SIZE });
    more = page.last !== undefined;
    const candidates = page.items.filter(matchesText);
    const withConsent = await Promise.all(
      candidates.map(async (contact) => ({ contact, consent: await consentOf(deps, agent, contact, at) })),
    );
    const wanted = new Map(
      withConsent
        .filter((item) => query.badge === undefined || item.consent.badge === query.badge)
        .map((item) => [item.contact.phone, item]),
    );
    // Walk the page in order so the cursor never skips a contact not yet returned.
    for (const contact of page.items) {
      examined += 1;
      after = contact.phone;
      const item = wanted.get(contact.phone);
      if (item !== undefined) items.push(item);
      if (items.length === query.limit) {
        more = more || contact !== page.items[page.items.length - 1];
        break;
      }
    }
    if (page.items.length === 0) after = page.last ?? after;
  }
  return more && after !== undefined ? { items, nextCursor: encodeContactCursor(after) } : { items };
}

async function consentOf(
  deps: Pick<Deps, 'stores'>,
  agent: Agent,
  contact: Contact,
  at: Date,
): Promise<ConsentView> {
  const { events } = await loadConsentRecords(deps.stores, agent.agentId, contact.phone);
  return summarizeConsent(events, agent.agentId, contact.phone, at, contact);
}

/** Folds case and accents so "jose" finds "José". */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function textMatcher(q: string | undefined): (contact: Contact) => boolean {
  if (q === undefined) return () => true;
  const needle = fold(q.trim());
  const digits = q.replace(/\D/g, '');
  const phoneLike = digits.length >= MIN_PHONE_DIGITS && /^[\d\s().+-]+$/.test(q.trim());
  return (contact) =>
    (contact.name !== undefined && fold(contact.name).includes(needle)) ||
    (phoneLike && contact.phone.replace(/\D/g, '').includes(digits));
}

function encodeContactCursor(phone: string): string {
  return Buffer.from(JSON.stringify({ after: phone })).toString('base64url');
}

function decodeContactCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string' && /^\+1\d{10}$/.test(decoded.after)) return decoded.after;
  } catch {
    // reported below
  }
  throw invalidField('query.cursor', 'not a cursor of this listing; pass back nextCursor as given');
}
