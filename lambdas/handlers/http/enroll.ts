/**
 * The drip cadence over HTTP: enroll a contact, stop it, preview and edit upcoming steps, and
 * read or replace the account's cadence.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import * as z from 'zod';
import { checkedCadenceBody } from '../../compliance/cadence-content';
import { getCadence, saveCadence } from '../../usecases/cadence';
import type { Deps } from '../../usecases/deps';
import { enrollContact, unenrollContact } from '../../usecases/enroll';
import { editScheduledMessage, listContactMessages } from '../../usecases/list-contact-messages';
import {
  toContactMessagesResponse,
  toEnrollmentStartedResponse,
  toMessageResponse,
} from './message-responses';
import { messagePath } from './messages';
import { httpHandler, type HttpHandler } from './middleware';
import { contactPath } from './schemas';

/** `PUT /v1/messages/{id}` body. Length and shorteners are checked by the use case (422). */
export const editMessageBody = z.strictObject({ body: z.string().max(10_000) });

/**
 * `POST /v1/contacts/{phone}/enroll` → 201 `{enrollment, optInRequest, steps}`; 404 unknown
 * contact, 422 `consent_required` without express written consent, 409 `already_enrolled`.
 */
export function createEnrollHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', path: contactPath }, async ({ caller, path }) => ({
    status: 201,
    body: toEnrollmentStartedResponse(await enrollContact(deps, caller.agent, path.phone)),
  }));
}

/** `DELETE /v1/contacts/{phone}/enroll` → 200 `{enrollment, cancelled}`; 409 `not_enrolled`. */
export function createUnenrollHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', path: contactPath }, async ({ caller, path }) => ({
    status: 200,
    body: await unenrollContact(deps, caller.agent, path.phone),
  }));
}

/**
 * `GET /v1/contacts/{phone}/messages` → every message of the contact; upcoming steps carry
 * `predicted` (the gate's verdict at their due time on what is on record now).
 */
export function createListContactMessagesHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', path: contactPath }, async ({ caller, path }) => ({
    status: 200,
    body: toContactMessagesResponse(await listContactMessages(deps, caller.agent, path.phone)),
  }));
}

/** `PUT /v1/messages/{id}` `{body}` → 200 `{message, content}`; 409 unless scheduled, 422 bad body. */
export function createEditMessageHandler(deps: Deps): HttpHandler {
  return httpHandler(
    deps,
    { auth: 'agent', path: messagePath, body: editMessageBody },
    async ({ caller, path, body }) => {
      const edited = await editScheduledMessage(deps, caller.agent, path.id, body.body);
      return { status: 200, body: { ...edited, message: toMessageResponse(edited.message) } };
    },
  );
}

/** `GET /v1/cadence` → the cadence new enrollments of this account get, and whether it is custom. */
export function createGetCadenceHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent' }, async ({ caller }) => ({
    status: 200,
    body: await getCadence(deps, caller.agent),
  }));
}

/** `PUT /v1/cadence` `{name, fallbacks?, steps}` → 200 the saved cadence with its new version. */
export function createPutCadenceHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'agent', body: checkedCadenceBody }, async ({ caller, body }) => ({
    status: 200,
    body: await saveCadence(deps, caller.agent, body),
  }));
}
