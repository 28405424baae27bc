import { Argument, type Command } from 'commander';
import { phoneArgument } from '../args';
import { action, type CliContext } from '../context';
import { formatVerification } from '../format';
import { EXIT, write, writeJson } from '../io';

/** `ledger verify <phone>`: exit code 1 when a chain does not hash as stored. */
export function registerLedger(program: Command, ctx: CliContext): void {
  program
    .command('ledger')
    .description('the tamper-evident consent ledger')
    .command('verify')
    .description(
      're-hash the consent chain(s) of a phone (the admin key checks every agent’s, and recomputes the phone’s derived state); exit 1 if broken or different',
    )
    .addArgument(new Argument('<phone>', 'the contact’s number').argParser(phoneArgument))
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (number: string, opts: { json?: boolean }) => {
        const result = await ctx.client().ledger.verify(number);
        if (opts.json) await writeJson(ctx.io.stdout, result);
        else await write(ctx.io.stdout, `${formatVerification(result)}\n`);
        return result.ok ? EXIT.ok : EXIT.failed;
      }),
    );
}
