import type { Command } from 'commander';
import { twilioMessagingUrls } from '../../../handlers/twilio/webhook-urls';
import { fillTemplate, messageTexts, senderFields } from '../../../rules/messages';
import { phoneArgument } from '../args';
import { action, type CliContext } from '../context';
import { write, writeJson } from '../io';

type Options = { name: string; brokerage: string; contactPhone: string; baseUrl?: string; json?: boolean };

/**
 * `twilio setup`: what to paste into an agent's Messaging Service — the Advanced Opt-Out texts
 * (the ones ConsentLine would send, from the rules data, so exactly one reply reaches the phone
 * either way) and the inbound URLs with their connection overrides and Fallback URL. Offline.
 */
export function registerTwilioSetup(program: Command, ctx: CliContext): void {
  program
    .command('twilio')
    .description('Twilio configuration helpers (offline)')
    .command('setup')
    .description("print an agent's Messaging Service settings: Advanced Opt-Out texts and webhook URLs")
    .requiredOption('--name <name>', 'the agent’s name, as shown in texts')
    .requiredOption('--brokerage <name>', 'the brokerage, as shown in texts')
    .requiredOption('--contact-phone <phone>', 'the number named in the HELP reply', phoneArgument)
    .option('--base-url <url>', 'the public base URL Twilio calls (ApiUrl)')
    .option('--json', 'print as JSON')
    .action(
      action(ctx, async (opts: Options) => {
        const fields = senderFields({ name: opts.name, brokerage: opts.brokerage });
        const texts = {
          optOut: fillTemplate(messageTexts.optOutConfirmation, fields),
          optIn: fillTemplate(messageTexts.optInConfirmation, fields),
          help: fillTemplate(messageTexts.helpReply, { ...fields, contactPhone: opts.contactPhone }),
        };
        const urls = opts.baseUrl === undefined ? undefined : twilioMessagingUrls(opts.baseUrl);
        if (opts.json)
          return writeJson(ctx.io.stdout, { advancedOptOut: texts, ...(urls ? { webhooks: urls } : {}) });
        const lines = [
          'Advanced Opt-Out (Messaging Service → Opt-Out Management), texts version ' + messageTexts.version,
          `  Opt-out confirmation: ${texts.optOut}`,
          `  Opt-in confirmation:  ${texts.optIn}`,
          `  Help:                 ${texts.help}`,
        ];
        if (urls)
          lines.push(
            'Integration → Send a webhook (HTTP POST)',
            `  Request URL:          ${urls.sms}`,
            `  Fallback URL:         ${urls.smsFallback}`,
          );
        await write(ctx.io.stdout, `${lines.join('\n')}\n`);
      }),
    );
}
