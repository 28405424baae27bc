import { Argument, type Command } from 'commander';
import { phoneArgument } from '../args';
import { action, type CliContext } from '../context';
import { write, writeJson } from '../io';

const phone = () => new Argument('<phone>', 'the contact’s number').argParser(phoneArgument);

/** `enroll` / `unenroll`: start or stop the drip cadence of a contact. */
export function registerEnrollment(program: Command, ctx: CliContext): void {
  program
    .command('enroll')
    .description('start the drip cadence (needs express written consent); the opt-in confirmation goes first')
    .addArgument(phone())
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (number: string, opts: { json?: boolean }) => {
        const started = await ctx.client().enroll(number);
        if (opts.json) return writeJson(ctx.io.stdout, started);
        const first = started.steps.map((step) => step.dueAt ?? '').sort()[0];
        const closing = started.enrollment.closing;
        const skipped = started.skipped.map(
          (step) => `  step ${step.step} skipped (was due ${step.dueAt}): ${step.reason}\n`,
        );
        await write(
          ctx.io.stdout,
          `enrolled ${number} in ${started.enrollment.cadenceVersion}: opt-in text ${started.optInRequest.messageId} ` +
            `queued, ${started.steps.length} step(s) scheduled${first ? `, first due ${first}` : ''}` +
            `${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}\n` +
            (closing
              ? `  closing-anchored steps count from the closing on ${closing.date} (${closing.source})\n`
              : '') +
            skipped.join(''),
        );
      }),
    );

  program
    .command('unenroll')
    .description('stop the drip cadence; every step not yet handed to Twilio is cancelled')
    .addArgument(phone())
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (number: string, opts: { json?: boolean }) => {
        const stopped = await ctx.client().unenroll(number);
        if (opts.json) return writeJson(ctx.io.stdout, stopped);
        await write(ctx.io.stdout, `unenrolled ${number}: ${stopped.cancelled} message(s) cancelled\n`);
      }),
    );
}
