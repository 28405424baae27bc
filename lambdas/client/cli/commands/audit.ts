import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { integerArgument, phoneArgument, rangeBoundArgument } from '../args';
import { auditCsvHeader, auditCsvLine, auditJsonLine, type AuditRecord } from '../audit-records';
import { action, type CliContext } from '../context';
import { EXIT, UsageError, write } from '../io';
import { progressOn } from '../progress';

type ExportOptions = {
  agent?: string;
  phone?: string;
  from?: string;
  to?: string;
  format: 'csv' | 'jsonl';
  out?: string;
  pageSize?: number;
};

type Counts = {
  messages: number;
  pages: number;
  consentEvents: number;
  optOuts: number;
  brokenChains: number;
};

/** `audit export`: the audit trail, streamed page by page to a file or stdout. */
export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('the audit trail: every message, consent event and opt-out, kept 5 years')
    .command('export')
    .description(
      'export the message log (each message with its compliance receipt and status history) of an agent over ' +
        'a date range, and with --phone also every consent event and opt-out record of that phone (admin key); ' +
        'ends with a summary record',
    )
    .option('--agent <agentId>', 'whose messages (required with the admin key; agents export their own)')
    .option(
      '--phone <phone>',
      'only this phone’s messages, plus its consent history and opt-out records',
      phoneArgument,
    )
    .option('--from <date|instant>', 'first day or instant, inclusive (UTC for a date)', rangeBoundArgument)
    .option('--to <date|instant>', 'last bound, exclusive (UTC for a date)', rangeBoundArgument)
    .addOption(
      new Option('--format <format>', 'output format').choices(['csv', 'jsonl']).makeOptionMandatory(),
    )
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--page-size <n>', 'messages per API request (1–1000)', integerArgument(1, 1000))
    .action(action(ctx, (opts: ExportOptions) => exportAudit(ctx, opts)));
}

async function exportAudit(ctx: CliContext, opts: ExportOptions): Promise<number> {
  if (opts.from !== undefined && opts.to !== undefined && opts.from >= opts.to) {
    throw new UsageError(`--to (${opts.to}) must be later than --from (${opts.from})`);
  }
  const client = ctx.client();
  const out = opts.out === undefined ? ctx.io.stdout : createWriteStream(opts.out, { flags: 'w' });
  const progress = progressOn(ctx.io.stderr);
  const counts: Counts = { messages: 0, pages: 0, consentEvents: 0, optOuts: 0, brokenChains: 0 };
  const emit = (entry: AuditRecord) =>
    write(out, opts.format === 'csv' ? auditCsvLine(entry) : auditJsonLine(entry));
  const withMessages = opts.agent !== undefined || opts.phone === undefined;

  try {
    if (opts.format === 'csv') await write(out, auditCsvHeader());
    if (withMessages) {
      const pages = client.audit.messagePages({
        agentId: opts.agent,
        phone: opts.phone,
        from: opts.from,
        to: opts.to,
        limit: opts.pageSize,
      });
      for await (const page of pages) {
        counts.pages += 1;
        for (const message of page.items) await emit({ record: 'message', value: message });
        counts.messages += page.items.length;
        progress.update(`${counts.messages} messages exported (${counts.pages} pages)`);
      }
    } else {
      ctx.io.stderr.write('note: messages are not included without --agent <agentId>\n');
    }
    if (opts.phone !== undefined) {
      const audit = await client.audit.phone(opts.phone);
      for (const chain of audit.chains) {
        for (const event of chain.events) await emit({ record: 'consent_event', value: event });
        await emit({
          record: 'chain_verification',
          value: { ...chain.verification, agentId: chain.agentId, phone: audit.phone },
        });
        counts.consentEvents += chain.events.length;
        if (!chain.verification.ok) counts.brokenChains += 1;
      }
      for (const optOut of audit.optOuts) await emit({ record: 'opt_out', value: optOut });
      counts.optOuts = audit.optOuts.length;
    }
    await emit({
      record: 'summary',
      value: {
        agentId: opts.agent,
        phone: opts.phone,
        from: opts.from,
        to: opts.to,
        messagesIncluded: withMessages,
        ...counts,
        complete: true,
      },
    });
  } catch (error) {
    progress.done(`export stopped after ${counts.messages} messages; the output is incomplete`);
    throw error;
  } finally {
    if (out !== ctx.io.stdout) {
      (out as NodeJS.WritableStream).end();
      await finished(out as NodeJS.WritableStream);
    }
  }
  progress.done(
    `exported ${counts.messages} messages in ${counts.pages} pages` +
      (opts.phone === undefined
        ? ''
        : `, ${counts.consentEvents} consent events, ${counts.optOuts} opt-out records`) +
      (opts.out === undefined ? '' : ` to ${opts.out}`),
  );
  if (counts.brokenChains > 0) {
    ctx.io.stderr.write(
      `warning: ${counts.brokenChains} consent chain(s) do not hash as stored (see chain_verification)\n`,
    );
    return EXIT.failed;
  }
  return EXIT.ok;
}
