/**
 * Admin routes that manage agents: create one (its API key is shown once), suspend, resume.
 * AWS entry points are bound to production `Deps` by the composition root (see ../routes.ts).
 */
import { createAgent } from '../../usecases/create-agent';
import type { Deps } from '../../usecases/deps';
import { setAgentSuspension } from '../../usecases/set-agent-suspension';
import { httpHandler, type HttpHandler } from './middleware';
import { agentPath, newAgentBody, suspendBody } from './schemas';

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
