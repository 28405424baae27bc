import type { Command } from 'commander';
import { contactCommand } from '../args';
import { answerCommand, type CliContext } from '../context';
import { formatAccepted, formatMessageList, formatPreview } from '../format';
import { EXIT } from '../io';

/** `messages list|preview|edit|send`. */
export function registerMessages(program: Command, ctx: CliContext): void {
  const messages = program.command('messages').description("a contact's texts");

  answerCommand(contactCommand(messages, 'list', 'every message of the contact, oldest first'), ctx, {
    ask: (client, _opts, phone) => client.messages.listForContact(phone),
    text: formatMessageList,
  });

  answerCommand(
    contactCommand(
      messages,
      'preview',
      'upcoming drip steps: the text as it would leave and the predicted verdict at its due time',
    ),
    ctx,
    {
      jsonHelp: 'print the upcoming steps as JSON',
      ask: (client, _opts, phone) => client.messages.listForContact(phone),
      json: (view) => ({ ...view, messages: view.messages.filter((m) => m.predicted) }),
      text: formatPreview,
    },
  );

  answerCommand(
    messages
      .command('edit')
      .description('change the text of an upcoming drip step (only while it is scheduled)')
      .argument('<id>', 'the message id (see messages list)')
      .requiredOption(
        '--body <text>',
        'the new text; {firstName}, {address}, {agentName}, {brokerage}, {years} are filled in',
      ),
    ctx,
    {
      ask: (client, opts: { body: string }, id) => client.messages.edit(id, opts.body),
      text: (edited, id) => {
        const warnings = edited.content.shaftFlags.map((flag) => `\n  warning: content flagged ${flag}`);
        const { final } = edited;
        const text = final.body.split('\n').map((line) => `\n  | ${line}`);
        return (
          `edited ${id}: as it will be sent, ${final.characters} characters, ${final.segments} segment(s) (${final.encoding})` +
          text.join('') +
          warnings.join('')
        );
      },
    },
  );

  answerCommand(
    contactCommand(
      messages,
      'send',
      'send a one-to-one text now; the compliance gate answers at once: exit 0 sent or queued, 3 held (the release time is printed), 4 blocked (the reasons are printed)',
    ).requiredOption('--body <text>', 'the text as you would type it'),
    ctx,
    {
      jsonHelp: 'print the API answer (with the compliance receipt) as JSON',
      ask: (client, opts: { body: string }, phone) => client.messages.create({ to: phone, body: opts.body }),
      text: (accepted) => formatAccepted(accepted, ctx.style()),
      exit: (accepted) => ({ send: EXIT.ok, hold: EXIT.held, block: EXIT.blocked })[accepted.verdict],
    },
  );
}
