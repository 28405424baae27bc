import { Option, type Command } from 'commander';
import { CONSENT_BADGES, MAX_CONTACT_PAGE_SIZE } from '../../../usecases/list-contacts';
import type { ContactInput, ContactListPage, ContactListQuery } from '../../types';
import { contactCommand, dateArgument, integerArgument } from '../args';
import { action, answerCommand, type CliContext } from '../context';
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
};

type ListOptions = { badge?: ContactListQuery['badge']; limit?: number; cursor?: string; json?: boolean };

/** `contacts add|show|list|search|erase|import`. */
export function registerContacts(program: Command, ctx: CliContext): void {
  const contacts = program.command('contacts').description("the agent's contacts");

  answerCommand(
    contactCommand(contacts, 'add', 'create or update a contact (consent is logged separately: consent log)')
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
      .option('--notes <text>', 'free notes'),
    ctx,
    {
      jsonHelp: 'print the stored contact as JSON',
      ask: (client, opts: AddOptions, phone) => client.contacts.put(phone, contactFields(opts)),
      json: (stored) => stored.contact,
      text: ({ contact, created }) => `${created ? 'created' : 'updated'} ${formatContact(contact)}`,
    },
  );

  answerCommand(contactCommand(contacts, 'show', 'a contact and what its consent allows now'), ctx, {
    ask: (client, _opts, phone) => client.contacts.get(phone),
    text: (view) => `${formatContact(view.contact)}\n${formatConsent(view.consent)}`,
  });

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

  answerCommand(
    contactCommand(
      contacts,
      'erase',
      'erase a contact’s name, address and notes at their request (the consent ledger, opt-outs and ' +
        'message log stay, as the law requires; the erasure is recorded)',
    )
      .requiredOption('--reason <text>', 'the contact’s request: when and how it came')
      .option('--by <name>', 'who carries it out (your agent name when absent)'),
    ctx,
    {
      ask: (client, opts: { reason: string; by?: string }, phone) =>
        client.contacts.erase(phone, {
          reason: opts.reason,
          ...(opts.by === undefined ? {} : { by: opts.by }),
        }),
      text: ({ erasure, contact, cancelled }) => {
        const fields = erasure.erased.length === 0 ? 'nothing stored' : erasure.erased.join(', ');
        const cadence = cancelled > 0 ? `; cadence stopped, ${cancelled} step(s) cancelled` : '';
        return (
          `erased ${contact.phone} at ${erasure.at} (${fields}) by ${erasure.by}${cadence}\n` +
          'kept: consent ledger, opt-outs, message log'
        );
      },
    },
  );

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
