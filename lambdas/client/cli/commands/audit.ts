import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import { integerArgument, phoneArgument, rangeBoundArgument } from '../args';
import type { LedgerRecord, LoggedText, OptOutRecord } from '../../../ports';
import type { ConsentLineClient } from '../../client';
import type { MessageAuditPage } from '../../types';
import {
  auditCsvHeader,
  auditCsvLine,
  auditJsonLine,
  auditRecordTime,
  type AuditRecord,
} from '../audit-records';
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
  allAgents?: boolean;
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
      'export the audit trail of an agent (or, with --all-agents, the brokerage) over a date range: every ' +
        'message with its verdict, reasons, consent relied on and local time, and the consent events and ' +
        'opt-outs of the same contacts, in time order, page by page with progress on stderr; with --phone ' +
        'everything on record about that phone and its chain checks (admin key); ends with a summary record',
    )
    .option('--agent <agentId>', 'whose records (required with the admin key; agents export their own)')
    .option('--all-agents', 'admin: the whole brokerage, every agent’s records in one time order')
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
  if (opts.allAgents && (opts.agent !== undefined || opts.phone !== undefined)) {
    throw new UsageError('--all-agents exports every agent: give it without --agent and --phone');
  }
  const client = ctx.client();
  const out = opts.out === undefined ? ctx.io.stdout : createWriteStream(opts.out, { flags: 'w' });
  const progress = progressOn(ctx.io.stderr);
  const counts: Counts = { messages: 0, pages: 0, consentEvents: 0, optOuts: 0, brokenChains: 0 };
  const emit = (entry: AuditRecord) =>
    write(out, opts.format === 'csv' ? auditCsvLine(entry) : auditJsonLine(entry));
  const withMessages = opts.allAgents === true || opts.agent !== undefined || opts.phone === undefined;
  const range = { from: opts.from, to: opts.to };

  try {
    // An agent's own key names no agent: `undefined` is "mine".
    const agents: (string | undefined)[] = opts.allAgents
      ? (await client.agents.list()).items.map((agent) => agent.agentId)
      : withMessages
        ? [opts.agent]
        : [];
    // The consent side is far smaller than the log: read first, so every row goes out in time order.
    const { records: consent, verifications } =
      opts.phone === undefined
        ? await consentOfAgents(client, agents, range, (text) => progress.update(text))
        : await consentOfPhone(client, opts.phone);
    counts.consentEvents = consent.filter((entry) => entry.record === 'consent_event').length;
    counts.optOuts = consent.filter((entry) => entry.record === 'opt_out').length;
    counts.brokenChains = verifications.filter(
      (entry) => entry.record === 'chain_verification' && !entry.value.ok,
    ).length;

    if (opts.format === 'csv') await write(out, auditCsvHeader());
    let next = 0;
    if (withMessages) {
      const streams = agents.map((agentId) =>
        client.audit.messagePages({ agentId, phone: opts.phone, ...range, limit: opts.pageSize }),
      );
      const onPage = (page: MessageAuditPage) => {
        counts.pages += 1;
        counts.messages += page.items.length;
        progress.update(
          `${counts.messages} messages exported (${counts.pages} pages` +
            (agents.length > 1 ? `, ${agents.length} agents)` : ')'),
        );
      };
      for await (const message of mergeByTime(streams, onPage)) {
        while (next < consent.length && auditRecordTime(consent[next]!) <= message.createdAt) {
          await emit(consent[next++]!);
        }
        await emit({ record: 'message', value: message });
      }
    } else {
      ctx.io.stderr.write('note: messages are not included without --agent <agentId>\n');
    }
    while (next < consent.length) await emit(consent[next++]!);
    for (const verification of verifications) await emit(verification);
    await emit({
      record: 'summary',
      value: {
        agentId: opts.agent,
        allAgents: opts.allAgents ? agents.length : undefined,
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
      (counts.consentEvents + counts.optOuts === 0
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

type ConsentSide = { records: AuditRecord[]; verifications: AuditRecord[] };

/** The consent events and opt-outs of the agents' contacts in range, oldest first, each opt-out once. */
async function consentOfAgents(
  client: ConsentLineClient,
  agents: (string | undefined)[],
  range: { from?: string; to?: string },
  progress: (text: string) => void,
): Promise<ConsentSide> {
  const records: AuditRecord[] = [];
  const seenOptOuts = new Set<string>();
  for (const agentId of agents) {
    for await (const page of client.audit.consentPages({ agentId, ...range })) {
      for (const { record, ...value } of page.items) {
        if (record === 'consent_event') records.push({ record, value: value as LedgerRecord });
        else if (!seenOptOuts.has(value.id)) {
          seenOptOuts.add(value.id);
          records.push({ record, value: value as OptOutRecord });
        }
      }
      progress(`${records.length} consent events and opt-outs read`);
    }
  }
  return { records: records.sort(byTime), verifications: [] };
}

/** Everything on record about one phone (admin): every agent's chain, its check, every opt-out. */
async function consentOfPhone(client: ConsentLineClient, phone: string): Promise<ConsentSide> {
  const audit = await client.audit.phone(phone);
  const records: AuditRecord[] = [
    ...audit.chains.flatMap((chain) =>
      chain.events.map((event): AuditRecord => ({ record: 'consent_event', value: event })),
    ),
    ...audit.optOuts.map((optOut): AuditRecord => ({ record: 'opt_out', value: optOut })),
  ];
  const verifications = audit.chains.map((chain): AuditRecord => ({
    record: 'chain_verification',
    value: { ...chain.verification, agentId: chain.agentId, phone: audit.phone },
  }));
  return { records: records.sort(byTime), verifications };
}

function byTime(a: AuditRecord, b: AuditRecord): number {
  return auditRecordTime(a).localeCompare(auditRecordTime(b));
}

/**
 * The messages of several agents' logs in one creation order, holding one page per agent: each
 * log is read page by page only as the merge reaches it.
 */
async function* mergeByTime(
  streams: AsyncGenerator<MessageAuditPage>[],
  onPage: (page: MessageAuditPage) => void,
): AsyncGenerator<LoggedText> {
  type Head = { stream: AsyncGenerator<MessageAuditPage>; items: LoggedText[]; done: boolean };
  const heads: Head[] = streams.map((stream) => ({ stream, items: [], done: false }));
  const fill = async (head: Head) => {
    while (head.items.length === 0 && !head.done) {
      const next = await head.stream.next();
      if (next.done) head.done = true;
      else {
        onPage(next.value);
        head.items = [...next.value.items];
      }
    }
  };
  for (const head of heads) await fill(head);
  for (;;) {
    let best: Head | undefined;
    for (const head of heads) {
      const first = head.items[0];
      if (first === undefined) continue;
      const current = best?.items[0];
      if (
        current === undefined ||
        first.createdAt < current.createdAt ||
        (first.createdAt === current.createdAt && first.messageId < current.messageId)
      )
        best = head;
    }
    if (best === undefined) return;
    yield best.items.shift()!;
    await fill(best);
  }
}
