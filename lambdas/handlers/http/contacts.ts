/**
 * An agent's contacts: create/update one, read it with its derived consent, list them, erase one.
 */
import { eraseContact } from '../../usecases/erase-contact';
import { getContact } from '../../usecases/get-contact';
import { listContacts } from '../../usecases/list-contacts';
import { upsertContact } from '../../usecases/upsert-contact';
import { consentReads } from '../route';
import { defineRoute, ok } from './route';
import { contactRoute } from './scoped-route';
import {
  contactBody,
  contactErasureResponse,
  contactListQuery,
  contactListResponse,
  contactPath,
  contactResponse,
  contactWithConsentResponse,
  eraseContactBody,
} from './schemas';

/** `PUT /v1/contacts/{phone}` → 201 when created, 200 when updated; the phone is stored as E.164. */
export const putContactRoute = /* @__PURE__ */ defineRoute({
  key: 'contacts.put',
  route: 'PUT /v1/contacts/{phone}',
  summary: 'Create or update a contact (never its consent)',
  options: { auth: 'agent', path: contactPath, body: contactBody },
  responses: {
    200: { description: 'updated', schema: contactResponse },
    201: { description: 'created', schema: contactResponse },
  },
  // Intake looks the line type up once per phone (Twilio Lookup, so the Twilio secret)
  access: { reads: consentReads, writes: ['contacts', 'numbers'], secrets: ['twilio'] },
  handle: async (deps, { caller, path, body }) => {
    const { contact, created } = await upsertContact(deps, caller.agent, path.phone, body);
    return { status: created ? 201 : 200, body: contact };
  },
});

/** `GET /v1/contacts/{phone}` → the contact and what its consent allows now; 404 if not this agent's. */
export const getContactRoute = /* @__PURE__ */ contactRoute({
  key: 'contacts.get',
  route: 'GET /v1/contacts/{phone}',
  summary: 'A contact and what its consent allows now',
  responses: { 200: { description: 'the contact', schema: contactWithConsentResponse } },
  access: { reads: consentReads, writes: [] },
  handle: async (deps, { caller, path }) => ok(await getContact(deps, caller.agent, path.phone)),
});

/**
 * `GET /v1/contacts?q=&badge=&limit=&cursor=` → `{ items: [{ contact, consent }], nextCursor? }`:
 * the agent's contacts in phone order; follow `nextCursor` until it is absent.
 */
export const listContactsRoute = /* @__PURE__ */ defineRoute({
  key: 'contacts.list',
  route: 'GET /v1/contacts',
  summary: 'The agent’s contacts, each with its consent; search by name or phone, filter by badge',
  options: { auth: 'agent', query: contactListQuery },
  responses: {
    200: { description: 'a page; follow `nextCursor` until absent', schema: contactListResponse },
  },
  access: { reads: consentReads, writes: [] },
  handle: async (deps, { caller, query }) => ok(await listContacts(deps, caller.agent, query)),
});

/**
 * `DELETE /v1/contacts/{phone}` `{ reason, by? }` → 200 `{ contact, erasure, cancelled }`: the
 * contact's personal details are erased at their request; 404 unknown, 409 erased already.
 */
export const eraseContactRoute = /* @__PURE__ */ contactRoute({
  key: 'contacts.erase',
  route: 'DELETE /v1/contacts/{phone}',
  summary:
    'Erase a contact’s name, address and notes at their request; the ledger, opt-outs and message log stay',
  options: { body: eraseContactBody },
  responses: {
    200: { description: 'erased; the erasure is recorded', schema: contactErasureResponse },
    409: '`already_erased`: the contact was erased before (`erasedAt`); nothing written',
  },
  // The contact's personal fields and the put-only record; an active cadence stops
  access: {
    reads: ['agents', 'contacts', 'messages', 'erasures'],
    writes: ['contacts', 'erasures', 'messages'],
  },
  handle: async (deps, { caller, path, body }) =>
    ok(await eraseContact(deps, caller.agent, path.phone, body)),
});
