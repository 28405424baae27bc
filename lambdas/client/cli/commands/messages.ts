import { Argument, type Command } from 'commander';
import { phoneArgument } from '../args';
import { action, type CliContext } from '../context';
import { formatAccepted, formatMessageList, formatPreview } from '../format';
import { EXIT, write, writeJson } from '../io';

const phone = () => new Argument('<phone>', 'the contact’s number').argParser(phoneArgument);

/** `messages list|preview|edit|send`. */
export function registerMessages(program: Command, ctx: CliContext): void {
  const messages = program.command('messages').description("a contact's texts");

  messages
    .command('list')
    .description('every message of the contact, oldest first')
    .addArgument(phone())
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (number: string, opts: { json?: boolean }) => {
        const view = await ctx.client().messages.listForContact(number);
        if (opts.json) return writeJson(ctx.io.stdout, view);
        await write(ctx.io.stdout, `${formatMessageList(view)}\n`);
      }),
    );

  messages
    .command('preview')
    .description('upcoming drip steps: the text as it would leave and the predicted verdict at its due time')
    .addArgument(phone())
    .option('--json', 'print the upcoming steps as JSON')
    .action(
      action(ctx, async (number: string, opts: { json?: boolean }) => {
        const view = await ctx.client().messages.listForContact(number);
        if (opts.json) {
          return writeJson(ctx.io.stdout, { ...view, messages: view.messages.filter((m) => m.predicted) });
        }
        await write(ctx.io.stdout, `${formatPreview(view)}\n`);
      }),
    );

  messages
    .command('edit')
    .description('change the text of an upcoming drip step (only while it is scheduled)')
    .argument('<id>', 'the message id (see messages list)')
    .requiredOption(
      '--body <text>',
      'the new text; {firstName}, {address}, {agentName}, {brokerage}, {years} are filled in',
    )
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (id: string, opts: { body: string; json?: boolean }) => {
        const edited = await ctx.client().messages.edit(id, opts.body);
        if (opts.json) return writeJson(ctx.io.stdout, edited);
        const warnings = edited.content.shaftFlags
          .map((flag) => `  warning: content flagged ${flag}\n`)
          .join('');
        const { final } = edited;
        const text = final.body
          .split('\n')
          .map((line) => `  | ${line}\n`)
          .join('');
        await write(
          ctx.io.stdout,
          `edited ${id}: as it will be sent, ${final.characters} characters, ${final.segments} segment(s) (${final.encoding})\n${text}${warnings}`,
        );
      }),
    );

  messages
    .command('send')
    .description(
      'send a one-to-one text now; the compliance gate answers at once: exit 0 sent or queued, 3 held (the release time is printed), 4 blocked (the reasons are printed)',
    )
    .addArgument(phone())
    .requiredOption('--body <text>', 'the text as you would type it')
    .option('--json', 'print the API answer (with the compliance receipt) as JSON')
    .action(
      action(ctx, async (number: string, opts: { body: string; json?: boolean }) => {
        const accepted = await ctx.client().messages.create({ to: number, body: opts.body });
        if (opts.json) await writeJson(ctx.io.stdout, accepted);
        else await write(ctx.io.stdout, `${formatAccepted(accepted, ctx.style())}\n`);
        return { send: EXIT.ok, hold: EXIT.held, block: EXIT.blocked }[accepted.verdict];
      }),
    );
}
