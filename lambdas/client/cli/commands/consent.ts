import { Option, type Command } from 'commander';
import type { ConsentAppended, ConsentEventInput } from '../../types';
import { contactCommand, instantArgument } from '../args';
import { answerCommand, type AnswerSpec, type CliContext } from '../context';
import { formatConsent, formatHistory } from '../format';

type LogOptions = {
  type: ConsentEventInput['type'];
  method?: string;
  at: string;
  capturedBy?: string;
  evidence?: string;
  channel: 'sms' | 'email' | 'voice';
  consentTextVersion?: string;
  corrects?: string;
};

type RevokeOptions = {
  method: string;
  evidence: string;
  at?: string;
  capturedBy?: string;
  via?: 'sms' | 'voice' | 'email' | 'in_person' | 'mail' | 'other';
};

/** `consent log|revoke|request|status|history`: the contact's append-only consent ledger. */
export function registerConsent(program: Command, ctx: CliContext): void {
  const consent = program.command('consent').description('the consent ledger of a contact');

  answerCommand(
    contactCommand(
      consent,
      'log',
      'append a consent event; methods that are not consent are refused with the reason',
    )
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
      .option('--corrects <eventId>', 'the ledger event this one corrects (the old one stays)'),
    ctx,
    appended(async (client, opts: LogOptions, phone) =>
      client.consent.append(phone, {
        type: opts.type,
        at: await ctx.instant(opts.at),
        channel: opts.channel,
        // Absent options stay undefined, which JSON leaves out.
        method: opts.method,
        capturedBy: opts.capturedBy,
        evidence: opts.evidence,
        consentTextVersion: opts.consentTextVersion,
        correctsId: opts.corrects,
      } as ConsentEventInput),
    ),
  );

  answerCommand(
    contactCommand(
      consent,
      'revoke',
      'log that the contact revoked SMS consent for this agent (call, email, in person, …)',
    )
      .requiredOption(
        '--method <method>',
        'how the contact said it, e.g. verbal_call, email_reply, in_person',
      )
      .requiredOption('--evidence <text>', 'the contact’s words or a reference')
      .option('--at <instant>', 'when it was said (default: now)', instantArgument)
      .option('--captured-by <who>', 'who logged it')
      .addOption(
        new Option('--via <how>', 'how the revocation arrived (it covers SMS)').choices([
          'sms',
          'voice',
          'email',
          'in_person',
          'mail',
          'other',
        ]),
      ),
    ctx,
    appended(async (client, opts: RevokeOptions, phone) =>
      client.consent.append(phone, {
        type: 'revocation',
        channel: 'sms',
        at: await ctx.instant(opts.at),
        method: opts.method,
        evidence: opts.evidence,
        capturedBy: opts.capturedBy,
        receivedVia: opts.via,
      }),
    ),
  );

  answerCommand(
    contactCommand(
      consent,
      'request',
      'send the one manual text asking for written consent (oral consent or an open EBR needed)',
    ),
    ctx,
    {
      ask: (client, _opts, phone) => client.consent.request(phone),
      text: (sent, phone) => {
        const when = sent.releaseAt ? ` (held until ${sent.releaseAt})` : '';
        const why = sent.verdict === 'block' ? `: ${sent.receipt.reasons.join('; ')}` : '';
        return `consent request ${sent.messageId} to ${phone}: ${sent.verdict}${when}${why}\nthe contact's YES reply will be written consent`;
      },
    },
  );

  answerCommand(contactCommand(consent, 'status', 'the derived consent status and what it allows now'), ctx, {
    jsonHelp: 'print the status as JSON',
    ask: (client, _opts, phone) => client.consent.history(phone),
    json: (history) => history.consent,
    text: (history, phone) => `${phone}\n${formatConsent(history.consent)}`,
  });

  answerCommand(
    contactCommand(consent, 'history', 'every consent event and global opt-out of the contact, oldest first'),
    ctx,
    { ask: (client, _opts, phone) => client.consent.history(phone), text: formatHistory },
  );
}

/** `log` and `revoke` append an event and print it with the consent it leaves. */
function appended<O extends object>(
  ask: AnswerSpec<O, ConsentAppended>['ask'],
): AnswerSpec<O, ConsentAppended> {
  return {
    ask,
    text: ({ event, consent }, phone) =>
      `logged ${event.type} ${event.id} for ${phone}\n${formatConsent(consent)}`,
  };
}
