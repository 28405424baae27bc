import type * as z from 'zod';
import type { Agent } from '../ports';
import { defaultCadence, type Cadence, type customCadenceBody } from '../rules/cadence';
import type { Deps } from './deps';

/** The cadence an account enrolls contacts on now: its own if it saved one, else the default. */
export async function cadenceFor(deps: Pick<Deps, 'stores'>, agentId: string): Promise<Cadence> {
  return (await deps.stores.cadences.get(agentId)) ?? defaultCadence;
}

/** `GET /v1/cadence`: the cadence the account's next enrollments get. */
export async function getCadence(
  deps: Pick<Deps, 'stores'>,
  agent: Agent,
): Promise<{ custom: boolean; cadence: Cadence }> {
  const custom = await deps.stores.cadences.get(agent.agentId);
  return { custom: custom !== undefined, cadence: custom ?? defaultCadence };
}

/**
 * `PUT /v1/cadence`: replaces the account's cadence (RULES §5) for enrollments made from now
 * on; contacts already enrolled keep the steps they were planned with. The body was validated
 * by the same schema as the default cadence; the version names the account and the instant so
 * every enrollment records exactly which cadence it follows.
 */
export async function saveCadence(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  content: z.output<typeof customCadenceBody>,
): Promise<{ custom: true; cadence: Cadence }> {
  const at = deps.clock.now().toISOString();
  const cadence: Cadence = {
    version: `cadence/${agent.agentId}/${at}`,
    source: `saved by agent ${agent.agentId} through PUT /v1/cadence`,
    ...content,
  };
  await deps.stores.cadences.save(agent.agentId, cadence, at);
  return { custom: true, cadence };
}
