/**
 * Admin routes that manage agents: create one (its API key is shown once), suspend, resume,
 * rotate its key or revoke all of its keys (each change recorded: who, when, why).
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import { listKeyEvents, revokeAgentKeys, rotateAgentKey } from '../../usecases/agent-keys';
import { createAgent } from '../../usecases/create-agent';
import type { Deps } from '../../usecases/deps';
import { setAgentSuspension } from '../../usecases/set-agent-suspension';
import { httpHandler, type HttpHandler } from './middleware';
import { agentPath, newAgentBody, revokeKeysBody, rotateKeyBody, suspendBody } from './schemas';

/** `POST /v1/agents` → 201 `{agentId, apiKey, agent}`; 409 when the sender number is taken. */
export function createCreateAgentHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'admin', body: newAgentBody }, async ({ body }) => {
    const { agent, apiKey } = await createAgent(deps, body);
    return { status: 201, body: { agentId: agent.agentId, apiKey, agent } };
  });
}

/**
 * `POST /v1/agents/{agentId}/suspend` `{reason}` → 200 with the agent, its reason and since when;
 * every write of theirs is refused and every pending text is blocked with the reason.
 */
export function createSuspendAgentHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'admin', path: agentPath, body: suspendBody }, async ({ path, body }) => ({
    status: 200,
    body: await setAgentSuspension(deps, path.agentId, true, body.reason),
  }));
}

/** `POST /v1/agents/{agentId}/resume` → 200 with the agent. */
export function createResumeAgentHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'admin', path: agentPath }, async ({ path }) => ({
    status: 200,
    body: await setAgentSuspension(deps, path.agentId, false),
  }));
}

/** `POST /v1/agents/{agentId}/keys/rotate` → 200 `{agentId, apiKey, event}`: the new key, shown once. */
export function createRotateAgentKeyHandler(deps: Deps): HttpHandler {
  return httpHandler(
    deps,
    { auth: 'admin', path: agentPath, body: rotateKeyBody },
    async ({ path, body }) => ({ status: 200, body: await rotateAgentKey(deps, path.agentId, body) }),
  );
}

/** `POST /v1/agents/{agentId}/keys/revoke` → 200 with the key event; every key of the agent gets 401. */
export function createRevokeAgentKeysHandler(deps: Deps): HttpHandler {
  return httpHandler(
    deps,
    { auth: 'admin', path: agentPath, body: revokeKeysBody },
    async ({ path, body }) => ({ status: 200, body: await revokeAgentKeys(deps, path.agentId, body) }),
  );
}

/** `GET /v1/agents/{agentId}/keys/events` → 200 `{agentId, events}`, oldest first. */
export function createListKeyEventsHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'admin', path: agentPath }, async ({ path }) => ({
    status: 200,
    body: { agentId: path.agentId, events: await listKeyEvents(deps, path.agentId) },
  }));
}

/** `GET /v1/agents` (admin) → 200 `{items}`: every agent of the brokerage, by id. */
export function createListAgentsHandler(deps: Deps): HttpHandler {
  return httpHandler(deps, { auth: 'admin' }, async () => ({
    status: 200,
    body: { items: await deps.stores.agents.listAll() },
  }));
}
