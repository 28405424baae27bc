/**
 * The audit export (RULES §6): an agent's message log page by page, and everything on record
 * about one phone.
 */
import * as z from 'zod';
import {
  AUDIT_END,
  AUDIT_EPOCH,
  auditConsent,
  auditMessages,
  auditPhone,
  DEFAULT_AUDIT_PAGE_SIZE,
  MAX_AUDIT_PAGE_SIZE,
} from '../../usecases/audit-export';
import type { Deps } from '../../usecases/deps';
import { invalidField, notFound } from '../../usecases/errors';
import { HttpError } from '../http-error';
import { messageAuditPageResponse, toMessageResponse } from './message-responses';
import { defineRoute, ok } from './route';
import { agentPath, contactPath, isoInstant, phoneNumber } from './schemas';

/** An export range is read from `from` (inclusive) to `to` (exclusive): `to` must come later. */
const rangeInOrder = (query: { from?: string | undefined; to?: string | undefined }): boolean =>
  query.from === undefined || query.to === undefined || query.from < query.to;
const rangeOutOfOrder = { path: ['to'], message: 'must be later than from' };

/** `GET /v1/audit/messages` query. `from` is inclusive, `to` exclusive; both on `createdAt`. */
export const auditMessagesQuery = z
  .strictObject({
    agentId: agentPath.shape.agentId.optional().describe('required with the admin key; agents get their own'),
    phone: phoneNumber.optional().describe('only the messages to this phone'),
    from: isoInstant.optional().describe('inclusive; default: the beginning of the log'),
    to: isoInstant.optional().describe('exclusive; default: the end of the log'),
    cursor: z.string().max(4096).optional().describe('from the previous page'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_AUDIT_PAGE_SIZE)
      .default(DEFAULT_AUDIT_PAGE_SIZE)
      .describe('messages per page'),
  })
  .refine(rangeInOrder, rangeOutOfOrder);

/** `GET /v1/audit/consent` query: the agent (admin), the range on the events' `at`, the cursor. */
export const auditConsentQuery = z
  .strictObject({
    agentId: agentPath.shape.agentId.optional().describe('required with the admin key; agents get their own'),
    from: isoInstant.optional().describe('inclusive; default: the beginning of the ledger'),
    to: isoInstant.optional().describe('exclusive; default: the end of the ledger'),
    cursor: z.string().max(4096).optional().describe('from the previous page'),
  })
  .refine(rangeInOrder, rangeOutOfOrder);

/** The agent an audit request is about: the admin names one that exists; an agent gets its own. */
async function auditedAgent(
  deps: Deps,
  caller: { role: 'admin' } | { role: 'agent'; agent: { agentId: string } },
  requested: string | undefined,
): Promise<string> {
  if (caller.role === 'admin') {
    if (requested === undefined) throw invalidField('query.agentId', 'is required with the admin key');
    // An empty export of an agent that never existed would read as "complete, nothing sent".
    if ((await deps.stores.agents.get(requested)) === undefined) throw notFound(`no agent ${requested}`);
    return requested;
  }
  if (requested !== undefined && requested !== caller.agent.agentId) {
    throw new HttpError(403, 'forbidden', 'an agent can export only its own messages');
  }
  return caller.agent.agentId;
}

/**
 * `GET /v1/audit/consent?agentId=&from=&to=&cursor=` → 200 `{items, cursor?}`: the consent
 * events and global opt-outs of the agent's contacts with `at` in range, a page of contacts at a
 * time (each page oldest first). Follow `cursor` until it is absent.
 */
export const auditConsentRoute = /* @__PURE__ */ defineRoute({
  key: 'audit.consent',
  route: 'GET /v1/audit/consent',
  summary: 'Audit export: the consent events and opt-outs of an agent’s contacts, page by page',
  options: { auth: 'agent_or_admin', query: auditConsentQuery },
  responses: {
    200: {
      description:
        '`{agentId, from, to, items, cursor?}`: consent events (`record: consent_event`) and global opt-outs (`record: opt_out`) with `at` in range; follow `cursor` until it is absent',
    },
    404: '`not_found`: no such agent',
  },
  // Consent events and opt-outs of an agent's contacts over a date range
  access: { reads: ['agents', 'contacts', 'ledger'], writes: [] },
  handle: async (deps, { caller, query }) =>
    ok(
      await auditConsent(deps, {
        agentId: await auditedAgent(deps, caller, query.agentId),
        from: query.from ?? AUDIT_EPOCH,
        to: query.to ?? AUDIT_END,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      }),
    ),
});

/**
 * `GET /v1/audit/messages?agentId=&phone=&from=&to=&cursor=&limit=` → 200 `{items, cursor?}`:
 * complete message records (body, compliance receipt, status history), oldest first. The admin
 * names the agent; an agent may only export its own log. Follow `cursor` until it is absent.
 */
export const auditMessagesRoute = /* @__PURE__ */ defineRoute({
  key: 'audit.messages',
  route: 'GET /v1/audit/messages',
  summary: 'Audit export: an agent’s complete message log, oldest first, page by page',
  options: { auth: 'agent_or_admin', query: auditMessagesQuery },
  responses: {
    200: {
      description:
        '`{agentId, phone?, from, to, items, cursor?}`: message records with body, receipt and status history; follow `cursor` until it is absent',
      schema: messageAuditPageResponse,
    },
    409: '`listing_changed`: the log changed under the cursor; restart from the first page',
    404: '`not_found`: no such agent',
  },
  access: { reads: ['agents', 'messages'], writes: [] },
  handle: async (deps, { caller, query }) => {
    const page = await auditMessages(deps, {
      agentId: await auditedAgent(deps, caller, query.agentId),
      from: query.from ?? AUDIT_EPOCH,
      to: query.to ?? AUDIT_END,
      limit: query.limit,
      ...(query.phone === undefined ? {} : { phone: query.phone }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return ok({ ...page, items: page.items.map(toMessageResponse) });
  },
});

/**
 * `GET /v1/audit/phones/{phone}` (admin) → 200 `{phone, chains, optOuts}`: every agent's consent
 * chain for the phone with its hash check, and every global opt-out record with its words.
 */
export const auditPhoneRoute = /* @__PURE__ */ defineRoute({
  key: 'audit.phone',
  route: 'GET /v1/audit/phones/{phone}',
  summary: 'Audit export: every agent’s consent chain of a phone and every global opt-out',
  options: { auth: 'admin', path: contactPath },
  responses: {
    200: { description: '`{phone, chains, optOuts}`; each chain with its events and hash verification' },
  },
  access: { reads: ['agents', 'ledger', 'messages', 'counters'], writes: [] },
  handle: async (deps, { path }) => ok(await auditPhone(deps, path.phone)),
});
