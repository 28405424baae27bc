import { randomUUID } from 'node:crypto';
import { ConflictError, type Agent } from '../ports';
import { hashApiKey, newApiKey } from './api-keys';
import type { Deps } from './deps';
import { Conflict, invalidField } from './errors';

/** What the admin gives to register an agent; the id, the key and the rest are the system's. */
export type NewAgent = Pick<
  Agent,
  'name' | 'brokerage' | 'senderNumber' | 'forwardTo' | 'messagingServiceSid' | 'doubleOptIn'
>;

export type CreatedAgent = { agent: Agent; apiKey: string };

/**
 * Registers an agent and issues its API key. The key is returned here and nowhere else:
 * only its hash is stored, so a lost key is replaced, never recovered.
 */
export async function createAgent(
  deps: Pick<Deps, 'clock' | 'stores'>,
  input: NewAgent,
): Promise<CreatedAgent> {
  // Forwarding to another agent's ConsentLine number would bounce every inbound text between them.
  if ((await deps.stores.agents.findBySenderNumber(input.forwardTo)) !== undefined) {
    throw invalidField(
      'forwardTo',
      `${input.forwardTo} is another agent's sender number; forwarded texts would loop`,
    );
  }
  const apiKey = newApiKey();
  const agent: Agent = {
    agentId: `agt_${randomUUID()}`,
    name: input.name,
    brokerage: input.brokerage,
    senderNumber: input.senderNumber,
    forwardTo: input.forwardTo,
    ...(input.messagingServiceSid === undefined ? {} : { messagingServiceSid: input.messagingServiceSid }),
    doubleOptIn: input.doubleOptIn,
    suspended: false,
    createdAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.stores.agents.create(agent, hashApiKey(apiKey));
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new Conflict('conflict', `senderNumber: ${input.senderNumber} already belongs to an agent`);
    }
    throw error;
  }
  return { agent, apiKey };
}
