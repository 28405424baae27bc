import { Argument, type Command } from 'commander';
import type { BlackoutView } from '../../types';
import { answerCommand, NOW, type CliContext } from '../context';
import { UsageError } from '../io';

type AddOptions = {
  states: string;
  start?: string;
  end: string;
  reason: string;
  by?: string;
};
type ListOptions = { active?: boolean };
type EndOptions = { reason: string; by?: string };

/** One blackout as a line and its details: id, status, states, period, reason, early end. */
export function formatBlackout(blackout: BlackoutView): string {
  const lines = [
    `${blackout.blackoutId}  ${blackout.status}  ${blackout.states.join(',')}  ${blackout.start} → ${blackout.effectiveEnd}`,
    `  reason     ${blackout.reason}`,
    `  declared   ${blackout.createdAt} by ${blackout.createdBy}`,
  ];
  if (blackout.ended) {
    lines.push(
      `  ended      ${blackout.ended.endedAt} by ${blackout.ended.endedBy}: ${blackout.ended.reason} (declared end ${blackout.end})`,
    );
  }
  return lines.join('\n');
}

/** `admin blackouts add|list|end` (admin key): state-of-emergency blackouts (RULES §3). */
export function registerBlackouts(admin: Command, ctx: CliContext): void {
  const blackouts = admin
    .command('blackouts')
    .description(
      'state-of-emergency blackouts (admin key): automated texts to recipients in those states are held until the end',
    );

  answerCommand(
    blackouts
      .command('add')
      .description(
        'declare a blackout; automated texts to recipients who may be in its states wait for its end',
      )
      .requiredOption('--states <codes>', 'USPS state or territory codes, comma-separated, e.g. LA,MS')
      .option(
        '--start <instant>',
        `ISO instant with its offset, or "${NOW}" (the default: the server's clock)`,
      )
      .requiredOption('--end <instant>', 'ISO instant with its offset; at most 60 days after the start')
      .requiredOption('--reason <text>', 'why: the declaration it follows, recorded')
      .option('--by <name>', 'who declares it, recorded (default "admin")'),
    ctx,
    {
      ask: async (client, opts: AddOptions) => {
        const states = opts.states
          .split(',')
          .map((state) => state.trim())
          .filter((state) => state !== '');
        if (states.length === 0) throw new UsageError('--states: name at least one state, e.g. LA,MS');
        return client.blackouts.declare({
          states,
          start: await ctx.instant(opts.start),
          end: opts.end,
          reason: opts.reason,
          ...(opts.by === undefined ? {} : { by: opts.by }),
        });
      },
      text: (declared) => `declared ${formatBlackout(declared)}`,
    },
  );

  answerCommand(
    blackouts
      .command('list')
      .description('every blackout: in force first, then those to come, then those over')
      .option('--active', 'only the blackouts in force now'),
    ctx,
    {
      ask: (client, opts: ListOptions) => client.blackouts.list(opts.active ? { active: 'now' } : {}),
      text: (listed) => listed.blackouts.map(formatBlackout).join('\n') || 'no blackouts',
    },
  );

  answerCommand(
    blackouts
      .command('end')
      .description(
        'end a blackout early, from now; the declaration stays as it was, the end is recorded next to it',
      )
      .addArgument(new Argument('<id>', 'the blackout id (blk_…)'))
      .requiredOption('--reason <text>', 'why it ends early, recorded')
      .option('--by <name>', 'who ends it, recorded (default "admin")'),
    ctx,
    {
      ask: (client, opts: EndOptions, id) =>
        client.blackouts.end(id, { reason: opts.reason, ...(opts.by === undefined ? {} : { by: opts.by }) }),
      text: (ended) => `ended ${formatBlackout(ended)}\n  ${ended.requeued} held text(s) decided again now`,
    },
  );
}
