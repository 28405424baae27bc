import { useState } from 'preact/hooks';
import type { AuditMessagesQuery, MessageAuditPage, MessageView } from '../../../types';
import { useAction, useApp } from '../app-context';
import { Done, FormProblem } from '../components/notice';
import { Pager } from '../components/pager';
import { DataTable, type Column } from '../components/data-table';
import { TextFields, useTextForm, type TextFieldSpec } from '../components/text-fields';
import { When } from '../components/when';
import { csvLine } from '../csv';
import { download } from '../download';
import { withUnshown } from '../problems';

const PAGE_SIZE = 25;
const columns = [
  'messageId',
  'agentId',
  'phone',
  'kind',
  'purpose',
  'status',
  'createdAt',
  'verdict',
  'reasons',
  'body',
  'sentBody',
  'twilioSid',
  'errorCode',
] as const;

function flat(message: MessageView): unknown[] {
  return [
    message.messageId,
    message.agentId,
    message.phone,
    message.kind,
    message.purpose,
    message.status,
    message.createdAt,
    message.receipt?.verdict,
    message.receipt?.reasons.join(' | '),
    message.body,
    message.sentBody,
    message.twilioSid,
    message.errorCode,
  ];
}

const filterFields: TextFieldSpec<'agentId' | 'phone' | 'from' | 'to'>[] = [
  { name: 'agentId', id: 'agent', label: 'Agent id' },
  { name: 'phone', label: 'Phone', type: 'tel' },
  { name: 'from', label: 'From (first day)', type: 'date' },
  { name: 'to', label: 'To (last day)', type: 'date' },
];

const resultColumns: Column<MessageView>[] = [
  { header: 'Created', cell: (message) => <When iso={message.createdAt} /> },
  { header: 'Phone', cell: (message) => message.phone },
  { header: 'Kind', cell: (message) => message.kind },
  { header: 'Status', cell: (message) => message.status },
  { header: 'Why', cell: (message) => message.receipt?.reasons.join(' ') },
];

/** A local calendar day's start as an instant; `next` gives the following day's (an exclusive end). */
function dayStart(date: string, next = false): string | undefined {
  if (date === '') return undefined;
  const start = new Date(`${date}T00:00:00`);
  if (Number.isNaN(start.getTime())) return date;
  if (next) start.setDate(start.getDate() + 1);
  return start.toISOString();
}

/** The message log by agent, phone and date range, paged, and exported whole as CSV. */
export function AuditPage() {
  const { api, session } = useApp();
  const search = useAction();
  const exporting = useAction();
  const { form, set } = useTextForm(() => ({ agentId: '', phone: '', from: '', to: '' }));
  const [pages, setPages] = useState<MessageAuditPage[]>([]);
  const [exported, setExported] = useState<string>();

  const query = (): Omit<AuditMessagesQuery, 'cursor'> => ({
    ...(form.agentId.trim() ? { agentId: form.agentId.trim() } : {}),
    ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
    ...(form.from ? { from: dayStart(form.from) } : {}),
    ...(form.to ? { to: dayStart(form.to, true) } : {}),
  });

  const first = async (event: Event) => {
    event.preventDefault();
    const page = await search.run(() => api.audit.messages({ ...query(), limit: PAGE_SIZE }));
    if (page) setPages([page]);
  };
  const next = async () => {
    const cursor = pages[pages.length - 1]?.cursor;
    if (cursor === undefined) return;
    const page = await search.run(() => api.audit.messages({ ...query(), limit: PAGE_SIZE, cursor }));
    if (page) setPages((list) => [...list, page]);
  };
  const exportAll = async () => {
    setExported(undefined);
    const lines = [csvLine(columns)];
    const done = await exporting.run(async () => {
      for await (const page of api.audit.messagePages({ ...query(), limit: 200 })) {
        for (const message of page.items) lines.push(csvLine(flat(message)));
      }
      return true;
    });
    if (done) {
      download('audit-messages.csv', lines.join('\r\n') + '\r\n');
      setExported(`Exported ${lines.length - 1} messages to audit-messages.csv.`);
    }
  };

  const shownFields = ['agentId', 'phone', 'from', 'to'];
  const problems = withUnshown(search.problems, shownFields);
  const current = pages[pages.length - 1];
  return (
    <section>
      <h1>Audit export</h1>
      <form class="filters" onSubmit={first} noValidate>
        <TextFields
          idPrefix="audit"
          fields={
            session.role === 'admin' ? filterFields : filterFields.filter((field) => field.name !== 'agentId')
          }
          form={form}
          set={set}
          errors={problems.fields}
        />
        <button type="submit" disabled={search.busy}>
          Search
        </button>
        <button type="button" disabled={exporting.busy} onClick={exportAll}>
          Export CSV
        </button>
      </form>
      <FormProblem problems={problems} />
      <FormProblem problems={withUnshown(exporting.problems, [])} />
      <Done text={exported} />
      {current && current.items.length === 0 && <p>No messages in this range.</p>}
      {current && current.items.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Audit results">
          <DataTable
            caption="Messages, oldest first"
            columns={resultColumns}
            rows={current.items}
            rowKey={(m) => m.messageId}
          />
        </div>
      )}
      {pages.length > 0 && (
        <Pager
          label="Audit pages"
          page={pages.length - 1}
          hasNext={current?.cursor !== undefined}
          onPrevious={() => setPages((list) => (list.length > 1 ? list.slice(0, -1) : list))}
          onNext={() => void next()}
        />
      )}
    </section>
  );
}
