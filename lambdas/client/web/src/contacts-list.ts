import { ConsentLineApiError, ConsentLineConnectionError } from '../../errors';
import type { ContactView } from '../../types';
import type { ConsentBadge, ConsentView } from './consent-view';

export type ContactListQuery = { q?: string; badge?: ConsentBadge; limit?: number; cursor?: string };
export type ContactListItem = { contact: ContactView; consent: ConsentView };
export type ContactListPage = { items: ContactListItem[]; nextCursor?: string };

/** `GET /v1/contacts?q=&badge=&limit=&cursor=`: one page of the agent's contacts with their consent. */
export async function listContacts(apiKey: string, query: ContactListQuery): Promise<ContactListPage> {
  const url = new URL('/v1/contacts', location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ConsentLineConnectionError(
      `GET /v1/contacts: ${error instanceof Error ? error.message : error}`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ConsentLineConnectionError(`GET /v1/contacts: HTTP ${response.status} without JSON`);
  }
  if (!response.ok) throw new ConsentLineApiError(response.status, (body ?? {}) as Record<string, unknown>);
  return body as ContactListPage;
}
