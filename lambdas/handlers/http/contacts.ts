/**
 * An agent's contacts: create/update one, read it with its derived consent.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import type { Deps } from '../../usecases/deps';
import { eraseContact } from '../../usecases/erase-contact';
import { getContact } from '../../usecases/get-contact';
import { listContacts } from '../../usecases/list-contacts';
import { upsertContact } from '../../usecases/upsert-contact';
import { httpHandler, type HttpHandler } from './middleware';
import { contactBody, contactListQuery, contactPath, eraseContactBody } from './schemas';

/** `PUT /v1/contacts/{phone}` → 201 when created, 200 when updated; the phone is stored as E.164. */
export function createPutContactHandler(deps: Deps): HttpHandler {
  return httpHandler(
    deps,
    { auth: 'agent', path: contactPath, body: contactBody },
    async ({ caller, path, body }) => {
      const { contact, created } = await upsertContact(deps, caller.agent, path.phone, body);
      return { status: created ? 201 : 200, body: contact };
    },
  );
}

/** `GET /v1/contacts/{phone}` → the contact and what its consent allows now; 404 if not this agent's. */
export function createGetContactHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', path: contactPath }, async ({ caller, path }) => ({
    status: 200,
    body: await getContact(deps, caller.agent, path.phone),
  }));
}

/**
 * `GET /v1/contacts?q=&badge=&limit=&cursor=` → `{ items: [{ contact, consent }], nextCursor? }`:
 * the agent's contacts in phone order; follow `nextCursor` until it is absent.
 */
export function createListContactsHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', query: contactListQuery }, async ({ caller, query }) => ({
    status: 200,
    body: await listContacts(deps, caller.agent, query),
  }));
}

/**
 * `DELETE /v1/contacts/{phone}` `{ reason, by? }` → 200 `{ contact, erasure, cancelled }`: the
 * contact's personal details are erased at their request; 404 unknown, 409 erased already.
 */
export function createEraseContactHandler(deps: Deps): HttpHandler {
  return httpHandler(
    deps,
    { auth: 'agent', path: contactPath, body: eraseContactBody },
    async ({ caller, path, body }) => ({
      status: 200,
      body: await eraseContact(deps, caller.agent, path.phone, body),
    }),
  );
}
