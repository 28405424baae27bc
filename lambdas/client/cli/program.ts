import { Command } from 'commander';
import { registerAdmin } from './commands/admin';
import { registerAgents } from './commands/agents';
import { registerAudit } from './commands/audit';
import { registerConsent } from './commands/consent';
import { registerContacts } from './commands/contacts';
import { registerEnrollment } from './commands/enrollment';
import { registerLedger } from './commands/ledger';
import { registerMessages } from './commands/messages';
import { registerTwilioSetup } from './commands/twilio-setup';
import { cliContext, type CliContext } from './context';
import { EXIT_HELP, type CliIo } from './io';

/** The `consentline` command tree, writing to the injected streams and never exiting the process. */
export function buildProgram(io: CliIo): { program: Command; ctx: CliContext } {
  const program = new Command('consentline')
    .description('ConsentLine: TCPA-safe texting for real-estate agents, from the command line')
    .option('--url <url>', 'API base URL (default: $CONSENTLINE_URL)')
    .option('--key <key>', 'API key, an agent’s or the admin’s (default: $CONSENTLINE_KEY)')
    .option('--utc', 'show times in UTC instead of the contact’s local time')
    .addHelpText(
      'after',
      `\n${EXIT_HELP}\n\nColours appear on a terminal only; set NO_COLOR to turn them off.`,
    )
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const ctx = cliContext(program, io);
  registerContacts(program, ctx);
  registerTwilioSetup(program, ctx);
  registerConsent(program, ctx);
  registerEnrollment(program, ctx);
  registerMessages(program, ctx);
  registerAgents(program, ctx);
  registerAdmin(program, ctx);
  registerAudit(program, ctx);
  registerLedger(program, ctx);
  return { program, ctx };
}
