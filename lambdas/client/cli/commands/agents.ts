import { Argument, InvalidArgumentError, type Command } from 'commander';
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

type KeyChangeOptions = { by: string; reason: string; json?: boolean };

/** `agents create|suspend|resume|rotate-key|revoke-keys|key-events` (admin key). */
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

  for (const [verb, description] of [
    ['suspend', 'block every send of the agent pending review'],
    ['resume', 'lift the suspension'],
  ] as const) {
    agents
      .command(verb)
      .description(description)
      .addArgument(new Argument('<agentId>', 'the agent id'))
      .option('--json', 'print the API answer as JSON')
      .action(
        action(ctx, async (agentId: string, opts: { json?: boolean }) => {
          const agent = await ctx.client().agents[verb](agentId);
          if (opts.json) return writeJson(ctx.io.stdout, agent);
          await write(
            ctx.io.stdout,
            `agent ${agent.agentId} is ${agent.suspended ? 'suspended' : 'active'}\n`,
          );
        }),
      );
  }

  agents
    .command('rotate-key')
    .description('issue the agent a new API key (printed once); the old one works for the overlap')
    .addArgument(new Argument('<agentId>', 'the agent id'))
    .requiredOption('--by <name>', 'who asks (recorded)')
    .requiredOption('--reason <text>', 'why (recorded)')
    .option('--overlap-hours <hours>', 'how long the old key keeps working, 0 to 24', overlapHours, 1)
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (agentId: string, opts: KeyChangeOptions & { overlapHours: number }) => {
        const rotated = await ctx.client().agents.rotateKey(agentId, {
          by: opts.by,
          reason: opts.reason,
          overlapHours: opts.overlapHours,
        });
        if (opts.json) return writeJson(ctx.io.stdout, rotated);
        await write(
          ctx.io.stdout,
          `new api key ${rotated.apiKey}\n(the key is shown only now; store it safely)\n` +
            `the old key works until ${rotated.event.previousKeyValidUntil ?? rotated.event.at}\n`,
        );
      }),
    );

  agents
    .command('revoke-keys')
    .description('revoke every API key of the agent now (each gets 401); rotate-key issues a new one')
    .addArgument(new Argument('<agentId>', 'the agent id'))
    .requiredOption('--by <name>', 'who asks (recorded)')
    .requiredOption('--reason <text>', 'why (recorded)')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (agentId: string, opts: KeyChangeOptions) => {
        const event = await ctx.client().agents.revokeKeys(agentId, { by: opts.by, reason: opts.reason });
        if (opts.json) return writeJson(ctx.io.stdout, event);
        await write(ctx.io.stdout, `every key of agent ${agentId} is revoked as of ${event.at}\n`);
      }),
    );

  agents
    .command('key-events')
    .description('the agent’s key rotations and revocations: who, when, why')
    .addArgument(new Argument('<agentId>', 'the agent id'))
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (agentId: string, opts: { json?: boolean }) => {
        const { events } = await ctx.client().agents.keyEvents(agentId);
        if (opts.json) return writeJson(ctx.io.stdout, events);
        const lines = events.map((event) => `${event.at} ${event.action} by ${event.by}: ${event.reason}\n`);
        await write(ctx.io.stdout, lines.join('') || 'no key changes\n');
      }),
    );
}

function overlapHours(value: string): number {
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours < 0 || hours > 24) {
    throw new InvalidArgumentError('expected a number of hours from 0 to 24');
  }
  return hours;
}
