import type { Command } from 'commander';
import { contactPhone } from '../args';
import { answerCommand, type CliContext } from '../context';
import { formatVerification } from '../format';
import { EXIT } from '../io';

/** `ledger verify <phone>`: exit code 1 when a chain does not hash as stored. */
export function registerLedger(program: Command, ctx: CliContext): void {
  answerCommand(
    program
      .command('ledger')
      .description('the tamper-evident consent ledger')
      .command('verify')
      .description(
        're-hash the consent chain(s) of a phone (the admin key checks every agent’s, and recomputes the phone’s derived state); exit 1 if broken or different',
      )
      .addArgument(contactPhone()),
    ctx,
    {
      ask: (client, _opts, phone) => client.ledger.verify(phone),
      text: formatVerification,
      exit: (result) => (result.ok ? EXIT.ok : EXIT.failed),
    },
  );
}
