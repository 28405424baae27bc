/**
 * The drip cadence over HTTP: enroll a contact, stop it, preview and edit upcoming steps, and
 * read or replace the account's cadence.
 */
import * as z from 'zod';
import { checkedCadenceBody } from '../../compliance/cadence-content';
import { getCadence, saveCadence } from '../../usecases/cadence';
import { enrollContact, unenrollContact } from '../../usecases/enroll';
import { editScheduledMessage, listContactMessages } from '../../usecases/list-contact-messages';
import { allTables } from '../route';
import {
  contactMessagesResponse,
  enrollmentStartedResponse,
  messageEditedResponse,
  toContactMessagesResponse,
  toEnrollmentStartedResponse,
  toMessageResponse,
} from './message-responses';
import { messagePath } from './message-schemas';
import { notFound } from './responses';
import { created, defineRoute, ok } from './route';
import { contactRoute } from './scoped-route';

/** `PUT /v1/messages/{id}` body. Length and shorteners are checked by the use case (422). */
export const editMessageBody = z.strictObject({ body: z.string().max(10_000) });

/**
 * `POST /v1/contacts/{phone}/enroll` → 201 `{enrollment, optInRequest, steps}`; 404 unknown
 * contact, 422 `consent_required` without express written consent, 409 `already_enrolled`.
 */
export const enrollRoute = /* @__PURE__ */ contactRoute({
  key: 'enroll.create',
  route: 'POST /v1/contacts/{phone}/enroll',
  summary: 'Start the drip cadence: the opt-in text is queued, every step scheduled',
  responses: {
    201: {
      description:
        'enrolled: `{enrollment, optInRequest, steps, skipped}`, each text a message record; `skipped`: steps whose moment had passed (a closing long ago), each with why',
      schema: enrollmentStartedResponse,
    },
    409: '`already_enrolled`: unenroll first to restart',
    422: '`consent_required`: no express written SMS consent; the message says why. `nothing_to_send`: every step counts from a closing whose moments have all passed',
  },
  access: { reads: allTables, writes: ['contacts', 'messages', 'counters'], enqueues: true },
  handle: async (deps, { caller, path }) =>
    created(toEnrollmentStartedResponse(await enrollContact(deps, caller.agent, path.phone))),
});

/** `DELETE /v1/contacts/{phone}/enroll` → 200 `{enrollment, cancelled}`; 409 `not_enrolled`. */
export const unenrollRoute = /* @__PURE__ */ contactRoute({
  key: 'enroll.delete',
  route: 'DELETE /v1/contacts/{phone}/enroll',
  summary: 'Stop the drip cadence; texts not yet handed to Twilio are cancelled',
  responses: {
    200: { description: 'stopped: `{enrollment, cancelled}` (how many texts were cancelled)' },
    409: '`not_enrolled`: the contact has no active enrollment',
  },
  access: { reads: ['agents', 'contacts', 'messages'], writes: ['contacts', 'messages'] },
  handle: async (deps, { caller, path }) => ok(await unenrollContact(deps, caller.agent, path.phone)),
});

/**
 * `GET /v1/contacts/{phone}/messages` → every message of the contact; upcoming steps carry
 * `predicted` (the gate's verdict at their due time on what is on record now).
 */
export const listContactMessagesRoute = /* @__PURE__ */ contactRoute({
  key: 'contacts.messages',
  route: 'GET /v1/contacts/{phone}/messages',
  summary: 'Every message of a contact; upcoming steps carry the gate’s predicted verdict',
  responses: {
    200: {
      description:
        '`{phone, enrollment?, messages, skipped}`; a scheduled step has `predicted`: the gate’s verdict at its due time on what is on record now; `skipped`: steps the enrollment left out because their moment had passed, each with why',
      schema: contactMessagesResponse,
    },
  },
  access: { reads: allTables, writes: [] },
  handle: async (deps, { caller, path }) =>
    ok(toContactMessagesResponse(await listContactMessages(deps, caller.agent, path.phone))),
});

/** `PUT /v1/messages/{id}` `{body}` → 200 `{message, content}`; 409 unless scheduled, 422 bad body. */
export const editMessageRoute = /* @__PURE__ */ defineRoute({
  key: 'messages.edit',
  route: 'PUT /v1/messages/{id}',
  summary: 'Edit the text of a scheduled cadence step',
  options: { auth: 'agent', path: messagePath, body: editMessageBody },
  responses: {
    200: {
      description:
        'edited: `{message, final: {body, characters, segments, encoding}, content}`: the text exactly as it will leave (sender prefix and opt-out footer added, placeholders filled) and its content analysis',
      schema: messageEditedResponse,
    },
    404: notFound,
    409: '`not_editable`: only scheduled steps can be edited',
    422: '`invalid_body` (1–1,600 characters once prefix and footer are added), `unknown_placeholder` or `url_shortener`',
  },
  access: { reads: allTables, writes: ['messages'] },
  handle: async (deps, { caller, path, body }) => {
    const edited = await editScheduledMessage(deps, caller.agent, path.id, body.body);
    return ok({ ...edited, message: toMessageResponse(edited.message) });
  },
});

/** `GET /v1/cadence` → the cadence new enrollments of this account get, and whether it is custom. */
export const getCadenceRoute = /* @__PURE__ */ defineRoute({
  key: 'cadence.get',
  route: 'GET /v1/cadence',
  summary: 'The cadence new enrollments of this account get',
  options: { auth: 'agent' },
  responses: {
    200: { description: '`{custom, cadence}`: the account’s own cadence, or the default (`custom: false`)' },
  },
  access: { reads: ['agents', 'counters'], writes: [] },
  handle: async (deps, { caller }) => ok(await getCadence(deps, caller.agent)),
});

/** `PUT /v1/cadence` `{name, fallbacks?, steps}` → 200 the saved cadence with its new version. */
export const putCadenceRoute = /* @__PURE__ */ defineRoute({
  key: 'cadence.put',
  route: 'PUT /v1/cadence',
  summary: 'Replace the account’s cadence for new enrollments; version and source are assigned',
  options: { auth: 'agent', body: checkedCadenceBody },
  responses: { 200: { description: '`{custom: true, cadence}`: the saved cadence with its new version' } },
  access: { reads: ['agents', 'counters'], writes: ['counters'] },
  handle: async (deps, { caller, body }) => ok(await saveCadence(deps, caller.agent, body)),
});
