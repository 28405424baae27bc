import { Argument, Option, type Command } from 'commander';
import type { ConsentAppended, ConsentEventInput } from '../../types';
import { instantArgument, phoneArgument } from '../args';
import { action, type CliContext } from '../context';
import { formatConsent, formatHistory } from '../format';
import { write, writeJson } from '../io';

type LogOptions = {
  type: ConsentEventInput['type'];
  method?: string;
  at: string;
  capturedBy?: string;
  evidence?: string;
  channel: 'sms' | 'email' | 'voice';
  consentTextVersion?: string;
  corrects?: string;
  json?: boolean;
};

type RevokeOptions = { method: string; evidence: string; at?: string; capturedBy?: string; json?: boolean };

const phone = () => new Argument('<phone>', 'the contact’s number').argParser(phoneArgument);

/** `consent log|revoke|status|history`: the contact's append-only consent ledger. */
export function registerConsent(program: Command, ctx: CliContext): void {
  const consent = program.command('consent').description('the consent ledger of a contact');

  consent
    .command('log')
    .description('append a consent event; methods that are not consent are refused with the reason')
    .addArgument(phone())
    .addOption(
      new Option('--type <type>', 'the event')
        .choices(['express_written', 'express_oral', 'ebr_transaction', 'ebr_inquiry', 'revocation'])
        .makeOptionMandatory(),
    )
    .option(
      '--method <method>',
      'how it was obtained: written (signed_form, e_sign, text_reply, …) or oral (verbal_call, in_person, referral_sourced)',
    )
    .requiredOption('--at <instant>', 'when it happened (ISO-8601 with zone, or "now")', instantArgument)
    .option('--captured-by <who>', 'who captured it')
    .option('--evidence <text>', 'exact words or document reference')
    .addOption(
      new Option('--channel <channel>', 'channel the consent covers')
        .choices(['sms', 'email', 'voice'])
        .default('sms'),
    )
    .option('--consent-text-version <version>', 'version of the consent wording shown to the contact')
    .option('--corrects <eventId>', 'the ledger event this one corrects (the old one stays)')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (number: string, opts: LogOptions) => {
        const event = {
          type: opts.type,
          at: opts.at,
          channel: opts.channel,
          // Absent options stay undefined, which JSON leaves out.
          method: opts.method,
          capturedBy: opts.capturedBy,
          evidence: opts.evidence,
          consentTextVersion: opts.consentTextVersion,
          correctsId: opts.corrects,
        } as ConsentEventInput;
        const appended = await ctx.client().consent.append(number, event);
        await printAppended(ctx, number, appended, opts.json);
      }),
    );

  consent
    .command('revoke')
    .description('log that the contact revoked SMS consent for this agent (call, email, in person, …)')
    .addArgument(phone())
    .requiredOption('--method <method>', 'how the contact said it, e.g. verbal_call, email_reply, in_person')
    .requiredOption('--evidence <text>', 'the contact’s words or a reference')
    .option('--at <instant>', 'when it was said (default: now)', instantArgument)
    .option('--captured-by <who>', 'who logged it')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (number: string, opts: RevokeOptions) => {
        const appended = await ctx.client().consent.append(number, {
          type: 'revocation',
          channel: 'sms',
          at: opts.at ?? new Date().toISOString(),
          method: opts.method,
          evidence: opts.evidence,
          capturedBy: opts.capturedBy,
        });
        await printAppended(ctx, number, appended, opts.json);
      }),
    );

  consent
    .command('status')
    .description('the derived consent status and what it allows now')
    .addArgument(phone())
    .option('--json', 'print the status as JSON')
    .action(
      action(ctx, async (number: string, opts: { json?: boolean }) => {
        const { consent: summary } = await ctx.client().consent.history(number);
        if (opts.json) return writeJson(ctx.io.stdout, summary);
        await write(ctx.io.stdout, `${number}\n${formatConsent(summary)}\n`);
      }),
    );

  consent
    .command('history')
    .description('every consent event and global opt-out of the contact, oldest first')
    .addArgument(phone())
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (number: string, opts: { json?: boolean }) => {
        const history = await ctx.client().consent.history(number);
        if (opts.json) return writeJson(ctx.io.stdout, history);
        await write(ctx.io.stdout, `${formatHistory(history)}\n`);
      }),
    );
}

async function printAppended(ctx: CliContext, number: string, appended: ConsentAppended, json?: boolean) {
  if (json) return writeJson(ctx.io.stdout, appended);
  await write(
    ctx.io.stdout,
    `logged ${appended.event.type} ${appended.event.id} for ${number}\n${formatConsent(appended.consent)}\n`,
  );
}
