import { InvalidArgumentError, type Command } from 'commander';
import type { AgentView } from '../../types';
import { agentCommand, phoneArgument } from '../args';
import { answerCommand, type CliContext } from '../context';

type CreateOptions = {
  name: string;
  brokerage: string;
  sender: string;
  forwardTo: string;
  messagingService?: string;
  doubleOptIn?: boolean;
};

type KeyChangeOptions = { by: string; reason: string };

/** `agents create|suspend|resume|rotate-key|revoke-keys|key-events` (admin key). */
export function registerAgents(program: Command, ctx: CliContext): void {
  const agents = program.command('agents').description('manage agents (admin key)');

  answerCommand(
    agents
      .command('create')
      .description('create an agent; its API key is printed once')
      .requiredOption('--name <name>', 'the agent’s name, shown in texts')
      .requiredOption('--brokerage <name>', 'the brokerage, shown in texts')
      .requiredOption('--sender <phone>', 'the Twilio number the agent texts from', phoneArgument)
      .requiredOption(
        '--forward-to <phone>',
        'the agent’s own phone (inbound texts and calls go there)',
        phoneArgument,
      )
      .option('--messaging-service <sid>', 'the Twilio Messaging Service (MG…) the agent sends through')
      .option('--double-opt-in', 'send nothing but the opt-in request until the contact replies YES'),
    ctx,
    {
      ask: (client, opts: CreateOptions) =>
        client.agents.create({
          name: opts.name,
          brokerage: opts.brokerage,
          senderNumber: opts.sender,
          forwardTo: opts.forwardTo,
          ...(opts.messagingService === undefined ? {} : { messagingServiceSid: opts.messagingService }),
          doubleOptIn: opts.doubleOptIn === true,
        }),
      text: ({ agentId, agent, apiKey }) =>
        `created agent ${agentId} (${agent.name}, ${agent.brokerage}, texts from ` +
        `${agent.senderNumber}${agent.messagingServiceSid ? ` via ${agent.messagingServiceSid}` : ''})\napi key ${apiKey}\n(the key is shown only now; store it safely)`,
    },
  );

  answerCommand(
    agentCommand(
      agents,
      'suspend',
      'refuse every write of the agent and block every pending text, pending review',
    ).requiredOption('--reason <text>', 'why; stored, shown to the agent and carried by every blocked text'),
    ctx,
    {
      ask: (client, opts: { reason: string }, agentId) => client.agents.suspend(agentId, opts.reason),
      text: agentState,
    },
  );

  answerCommand(agentCommand(agents, 'resume', 'lift the suspension'), ctx, {
    ask: (client, _opts, agentId) => client.agents.resume(agentId),
    text: agentState,
  });

  answerCommand(
    agentCommand(
      agents,
      'rotate-key',
      'issue the agent a new API key (printed once); the old one works for the overlap',
    )
      .requiredOption('--by <name>', 'who asks (recorded)')
      .requiredOption('--reason <text>', 'why (recorded)')
      .option('--overlap-hours <hours>', 'how long the old key keeps working, 0 to 24', overlapHours, 1),
    ctx,
    {
      ask: (client, opts: KeyChangeOptions & { overlapHours: number }, agentId) =>
        client.agents.rotateKey(agentId, {
          by: opts.by,
          reason: opts.reason,
          overlapHours: opts.overlapHours,
        }),
      text: ({ apiKey, event }) =>
        `new api key ${apiKey}\n(the key is shown only now; store it safely)\n` +
        `the old key works until ${event.previousKeyValidUntil ?? event.at}`,
    },
  );

  answerCommand(
    agentCommand(
      agents,
      'revoke-keys',
      'revoke every API key of the agent now (each gets 401); rotate-key issues a new one',
    )
      .requiredOption('--by <name>', 'who asks (recorded)')
      .requiredOption('--reason <text>', 'why (recorded)'),
    ctx,
    {
      ask: (client, opts: KeyChangeOptions, agentId) =>
        client.agents.revokeKeys(agentId, { by: opts.by, reason: opts.reason }),
      text: (event, agentId) => `every key of agent ${agentId} is revoked as of ${event.at}`,
    },
  );

  answerCommand(
    agentCommand(agents, 'key-events', 'the agent’s key rotations and revocations: who, when, why'),
    ctx,
    {
      ask: (client, _opts, agentId) => client.agents.keyEvents(agentId),
      json: ({ events }) => events,
      text: ({ events }) =>
        events.map((event) => `${event.at} ${event.action} by ${event.by}: ${event.reason}`).join('\n') ||
        'no key changes',
    },
  );
}

function agentState(agent: AgentView): string {
  const state = agent.suspended
    ? `suspended since ${agent.suspendedAt ?? '?'}: ${agent.suspendedReason ?? 'no reason given'}`
    : 'active';
  return `agent ${agent.agentId} is ${state}`;
}

function overlapHours(value: string): number {
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours < 0 || hours > 24) {
    throw new InvalidArgumentError('expected a number of hours from 0 to 24');
  }
  return hours;
}
