import { Argument, Option, type Command } from 'commander';
import { CONSENT_BADGES, MAX_CONTACT_PAGE_SIZE } from '../../../usecases/list-contacts';
import type { ContactInput, ContactListPage, ContactListQuery } from '../../types';
import { dateArgument, integerArgument, phoneArgument } from '../args';
import { action, type CliContext } from '../context';
import { formatConsent, formatContact, formatContactRow } from '../format';
import { write, writeJson } from '../io';
import { importContactsCsv } from './contacts-import';

type AddOptions = {
  name?: string;
  state?: string;
  zip?: string;
  tz?: string;
  closingDate?: string;
  address?: string;
  notes?: string;
  json?: boolean;
};

type ListOptions = { badge?: ContactListQuery['badge']; limit?: number; cursor?: string; json?: boolean };

/** `contacts add|show|list|search|import`. */
export function registerContacts(program: Command, ctx: CliContext): void {
  const contacts = program.command('contacts').description("the agent's contacts");

  contacts
    .command('add')
    .description('create or update a contact (consent is logged separately: consent log)')
    .addArgument(new Argument('<phone>', 'the contact’s number').argParser(phoneArgument))
    .option('--name <name>', 'full name')
    .option('--state <code>', 'USPS state code, e.g. FL')
    .option('--zip <zip>', 'ZIP code')
    .option('--tz <zone>', 'IANA time zone, e.g. America/Chicago')
    .option(
      '--closing-date <date>',
      'closing date YYYY-MM-DD (starts the 18-month business relationship)',
      dateArgument,
    )
    .option('--address <text>', 'property address')
    .option('--notes <text>', 'free notes')
    .option('--json', 'print the stored contact as JSON')
    .action(
      action(ctx, async (phone: string, opts: AddOptions) => {
        const { contact, created } = await ctx.client().contacts.put(phone, contactFields(opts));
        if (opts.json) return writeJson(ctx.io.stdout, contact);
        await write(ctx.io.stdout, `${created ? 'created' : 'updated'} ${formatContact(contact)}\n`);
      }),
    );

  contacts
    .command('show')
    .description('a contact and what its consent allows now')
    .addArgument(new Argument('<phone>', 'the contact’s number').argParser(phoneArgument))
    .option('--json', 'print the API answer as JSON')
    .action(
      action(ctx, async (phone: string, opts: { json?: boolean }) => {
        const view = await ctx.client().contacts.get(phone);
        if (opts.json) return writeJson(ctx.io.stdout, view);
        await write(ctx.io.stdout, `${formatContact(view.contact)}\n${formatConsent(view.consent)}\n`);
      }),
    );

  const listOptions = (command: Command): Command =>
    command
      .addOption(
        new Option('--badge <badge>', 'only contacts with this consent badge').choices(CONSENT_BADGES),
      )
      .option(
        '--limit <n>',
        `contacts per page (1–${MAX_CONTACT_PAGE_SIZE})`,
        integerArgument(1, MAX_CONTACT_PAGE_SIZE),
      )
      .option('--cursor <cursor>', 'continue from the "next page" cursor a previous page printed')
      .option('--json', 'print the API answer as JSON');

  listOptions(
    contacts.command('list').description('your contacts, each with its consent badge; paged'),
  ).action(action(ctx, (opts: ListOptions) => listContactsPage(ctx, {}, opts)));

  listOptions(
    contacts
      .command('search')
      .description('contacts whose name or phone number contains <text>; paged')
      .argument('<text>', 'part of a name (any case) or of a phone number'),
  ).action(action(ctx, (q: string, opts: ListOptions) => listContactsPage(ctx, { q }, opts)));

  contacts
    .command('import')
    .description(
      'import contacts from a CSV file with a header row (phone, name, state, zip, tz, closing_date, address, ' +
        'notes, consent_method, consent_at, consent_captured_by, consent_evidence, consent_text_version); ' +
        'prints a report of every row in file order (row,line,phone,result,consent,reason: created, updated, ' +
        'failed, refused, duplicate) and exits 1 if any row failed or was refused',
    )
    .argument('<csv>', 'path of the CSV file (UTF-8)')
    .option('--report <file>', 'write the per-row report to this file instead of stdout')
    .option('--map <pairs>', 'rename the file\'s headers to known columns, e.g. "First Name=name,Cell=phone"')
    .action(
      action(ctx, (path: string, opts: { report?: string; map?: string }) =>
        importContactsCsv(ctx, path, opts),
      ),
    );
}

function contactFields(opts: AddOptions): ContactInput {
  const fields: ContactInput = {};
  if (opts.name !== undefined) fields.name = opts.name;
  if (opts.state !== undefined) fields.state = opts.state;
  if (opts.zip !== undefined) fields.postalCode = opts.zip;
  if (opts.tz !== undefined) fields.timeZone = opts.tz;
  if (opts.closingDate !== undefined) fields.closingDate = opts.closingDate;
  if (opts.address !== undefined) fields.address = opts.address;
  if (opts.notes !== undefined) fields.notes = opts.notes;
  return fields;
}

async function listContactsPage(ctx: CliContext, query: ContactListQuery, opts: ListOptions): Promise<void> {
  const page: ContactListPage = await ctx.client().contacts.list({
    ...query,
    ...(opts.badge === undefined ? {} : { badge: opts.badge }),
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    ...(opts.cursor === undefined ? {} : { cursor: opts.cursor }),
  });
  if (opts.json) return writeJson(ctx.io.stdout, page);
  const style = ctx.style();
  const lines = page.items.map((item) => formatContactRow(item, style));
  if (lines.length === 0) lines.push('(no contacts)');
  if (page.nextCursor !== undefined) lines.push(`next page: --cursor ${page.nextCursor}`);
  await write(ctx.io.stdout, `${lines.join('\n')}\n`);
}
