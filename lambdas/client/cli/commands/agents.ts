import { Argument, type Command } from 'commander';
import type { AgentView } from '../../types';
import { phoneArgument } from '../args';
import { action, type CliContext } from '../context';
import { write, writeJson } from '../io';

type CreateOptions = {
  name: string;
  brokerage: string;
  sender: string;
  forwardTo: string;
  messagingService?: string;
  doubleOptIn?: boolean;
  json?: boolean;
};

/** `agents create|suspend|resume` (admin key). */
export function registerAgents(program: Command, ctx: CliContext): void {
  const agents = program.command('agents').description('manage agents (admin key)');

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
    .option('--double-opt-in', 'send nothing but the opt-in request until the contact replies YES')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (opts: CreateOptions) => {
        const created = await ctx.client().agents.create({
          name: opts.name,
          brokerage: opts.brokerage,
          senderNumber: opts.sender,
          forwardTo: opts.forwardTo,
          ...(opts.messagingService === undefined ? {} : { messagingServiceSid: opts.messagingService }),
          doubleOptIn: opts.doubleOptIn === true,
        });
        if (opts.json) return writeJson(ctx.io.stdout, created);
        await write(
          ctx.io.stdout,
          `created agent ${created.agentId} (${created.agent.name}, ${created.agent.brokerage}, texts from ` +
            `${created.agent.senderNumber}${created.agent.messagingServiceSid ? ` via ${created.agent.messagingServiceSid}` : ''})\napi key ${created.apiKey}\n(the key is shown only now; store it safely)\n`,
        );
      }),
    );

  const showState = async (agent: AgentView, json: boolean | undefined) => {
    if (json) return writeJson(ctx.io.stdout, agent);
    const state = agent.suspended
      ? `suspended since ${agent.suspendedAt ?? '?'}: ${agent.suspendedReason ?? 'no reason given'}`
      : 'active';
    await write(ctx.io.stdout, `agent ${agent.agentId} is ${state}\n`);
  };

  agents
    .command('suspend')
    .description('refuse every write of the agent and block every pending text, pending review')
    .addArgument(new Argument('<agentId>', 'the agent id'))
    .requiredOption('--reason <text>', 'why; stored, shown to the agent and carried by every blocked text')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (agentId: string, opts: { reason: string; json?: boolean }) =>
        showState(await ctx.client().agents.suspend(agentId, opts.reason), opts.json),
      ),
    );

  agents
    .command('resume')
    .description('lift the suspension')
    .addArgument(new Argument('<agentId>', 'the agent id'))
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (agentId: string, opts: { json?: boolean }) =>
        showState(await ctx.client().agents.resume(agentId), opts.json),
      ),
    );
}
