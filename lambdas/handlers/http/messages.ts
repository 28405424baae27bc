/**
 * An agent's one-to-one texts: send one (the gate answers at once), read one with its history.
 */
import { createMessage, getMessage } from '../../usecases/create-message';
import { allTables } from '../route';
import { messageAcceptedResponse, messagePath, newMessageBody } from './message-schemas';
import { messageResponse, toMessageResponse } from './message-responses';
import { notFound } from './responses';
import { accepted, defineRoute, ok } from './route';

export { messageAcceptedResponse, messagePath, newMessageBody } from './message-schemas';

/**
 * `POST /v1/messages` → 202 `{messageId, verdict, releaseAt?, receipt}`: `send` (queued; the
 * worker checks again before Twilio), `hold` (until `releaseAt`) or `block` (final; the receipt
 * says why). A suspended agent gets 403 `agent_suspended` and nothing is logged.
 */
export const createMessageRoute = /* @__PURE__ */ defineRoute({
  key: 'messages.create',
  route: 'POST /v1/messages',
  summary: 'Send a one-to-one text; the gate answers at once (a suspended agent gets 403 `agent_suspended`)',
  options: { auth: 'agent', body: newMessageBody },
  responses: {
    202: {
      description: '`send` (queued; checked again before Twilio), `hold` (until `releaseAt`) or `block`',
      schema: messageAcceptedResponse,
    },
  },
  access: { reads: allTables, writes: ['messages'], enqueues: true, schedules: true },
  handle: async (deps, { caller, body }) => accepted(await createMessage(deps, caller.agent, body)),
});

/** `GET /v1/messages/{id}` → the message with its full status history; 404 if not this agent's. */
export const getMessageRoute = /* @__PURE__ */ defineRoute({
  key: 'messages.get',
  route: 'GET /v1/messages/{id}',
  summary: 'A message with its full status history and compliance receipt',
  options: { auth: 'agent', path: messagePath },
  responses: {
    200: { description: 'the message record: body, status, history, receipt', schema: messageResponse },
    404: notFound,
  },
  access: { reads: ['agents', 'messages'], writes: [] },
  handle: async (deps, { caller, path }) =>
    ok(toMessageResponse(await getMessage(deps, caller.agent, path.id))),
});
