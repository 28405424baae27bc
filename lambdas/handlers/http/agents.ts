/**
 * Admin routes that manage agents: create one (its API key is shown once), suspend, resume,
 * rotate its key or revoke all of its keys (each change recorded: who, when, why).
 */
import { listKeyEvents, revokeAgentKeys, rotateAgentKey } from '../../usecases/agent-keys';
import { createAgent } from '../../usecases/create-agent';
import { setAgentSuspension } from '../../usecases/set-agent-suspension';
import type { FunctionAccess } from '../route';
import { created, defineRoute, ok } from './route';
import { agentRoute } from './scoped-route';
import {
  agentCreatedResponse,
  agentListResponse,
  agentResponse,
  keyEventResponse,
  keyEventsResponse,
  keyRotatedResponse,
  newAgentBody,
  revokeKeysBody,
  rotateKeyBody,
  suspendBody,
} from './schemas';

const agentsTable: FunctionAccess = { reads: ['agents'], writes: ['agents'] };
// A suspension is copied onto the agent's counters item, which the send claim checks.
const suspensionTables: FunctionAccess = { reads: ['agents'], writes: ['agents', 'counters'] };

/** `POST /v1/agents` → 201 `{agentId, apiKey, agent}`; 409 when the sender number is taken. */
export const createAgentRoute = /* @__PURE__ */ defineRoute({
  key: 'agents.create',
  route: 'POST /v1/agents',
  summary: 'Create an agent; the API key is shown once',
  options: { auth: 'admin', body: newAgentBody },
  responses: {
    201: { description: 'created', schema: agentCreatedResponse },
    409: 'the sender number belongs to another agent',
  },
  access: agentsTable,
  handle: async (deps, { body }) => {
    const { agent, apiKey } = await createAgent(deps, body);
    return created({ agentId: agent.agentId, apiKey, agent });
  },
});

/**
 * `POST /v1/agents/{agentId}/suspend` `{reason}` → 200 with the agent, its reason and since when;
 * every write of theirs is refused and every pending text is blocked with the reason.
 */
export const suspendAgentRoute = /* @__PURE__ */ agentRoute({
  key: 'agents.suspend',
  route: 'POST /v1/agents/{agentId}/suspend',
  summary: 'Suspend an agent with a reason: every write is refused, every pending text blocked',
  options: { body: suspendBody },
  responses: { 200: { description: 'suspended', schema: agentResponse } },
  access: suspensionTables,
  handle: async (deps, { path, body }) => ok(await setAgentSuspension(deps, path.agentId, true, body.reason)),
});

/** `POST /v1/agents/{agentId}/resume` → 200 with the agent. */
export const resumeAgentRoute = /* @__PURE__ */ agentRoute({
  key: 'agents.resume',
  route: 'POST /v1/agents/{agentId}/resume',
  summary: 'Lift an agent’s suspension',
  responses: { 200: { description: 'resumed', schema: agentResponse } },
  access: suspensionTables,
  handle: async (deps, { path }) => ok(await setAgentSuspension(deps, path.agentId, false)),
});

/** `POST /v1/agents/{agentId}/keys/rotate` → 200 `{agentId, apiKey, event}`: the new key, shown once. */
export const rotateAgentKeyRoute = /* @__PURE__ */ agentRoute({
  key: 'agents.rotate-key',
  route: 'POST /v1/agents/{agentId}/keys/rotate',
  summary: 'Issue an agent a new API key (shown once); the old one works for the overlap chosen (≤ 24 h)',
  options: { body: rotateKeyBody },
  responses: { 200: { description: 'rotated', schema: keyRotatedResponse } },
  // A new key, the old one kept for an overlap
  access: agentsTable,
  handle: async (deps, { path, body }) => ok(await rotateAgentKey(deps, path.agentId, body)),
});

/** `POST /v1/agents/{agentId}/keys/revoke` → 200 with the key event; every key of the agent gets 401. */
export const revokeAgentKeysRoute = /* @__PURE__ */ agentRoute({
  key: 'agents.revoke-keys',
  route: 'POST /v1/agents/{agentId}/keys/revoke',
  summary: 'Revoke every API key of an agent at once; each then gets 401',
  options: { body: revokeKeysBody },
  responses: { 200: { description: 'revoked', schema: keyEventResponse } },
  access: agentsTable,
  handle: async (deps, { path, body }) => ok(await revokeAgentKeys(deps, path.agentId, body)),
});

/** `GET /v1/agents/{agentId}/keys/events` → 200 `{agentId, events}`, oldest first. */
export const listKeyEventsRoute = /* @__PURE__ */ agentRoute({
  key: 'agents.key-events',
  route: 'GET /v1/agents/{agentId}/keys/events',
  summary: 'The agent’s key rotations and revocations: who, when, why',
  responses: { 200: { description: 'oldest first', schema: keyEventsResponse } },
  access: { reads: ['agents'], writes: [] },
  handle: async (deps, { path }) =>
    ok({ agentId: path.agentId, events: await listKeyEvents(deps, path.agentId) }),
});

/** `GET /v1/agents` (admin) → 200 `{items}`: every agent of the brokerage, by id. */
export const listAgentsRoute = /* @__PURE__ */ defineRoute({
  key: 'agents.list',
  route: 'GET /v1/agents',
  summary: 'Every agent of the brokerage (for the brokerage-wide audit export)',
  options: { auth: 'admin' },
  responses: { 200: { description: 'by id', schema: agentListResponse } },
  // The only Scan: the brokerage's agents, tens of items
  access: { reads: ['agents'], writes: [], scans: ['agents'] },
  handle: async (deps) => ok({ items: await deps.stores.agents.listAll() }),
});
