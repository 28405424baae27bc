import { useState } from 'preact/hooks';
import type { ImportResult, ImportRowInput } from '../../../types';
import { useAction, useApp } from '../app-context';
import { describedBy, Field } from '../components/field';
import { Done, FormEnd } from '../components/notice';
import { csvLine, parseCsv } from '../csv';
import { contactFieldNames } from '../contact-fields';
import { download } from '../download';

// The API takes at most 1,000 rows a request; smaller batches show progress as they go.
const BATCH = 100;
const consentColumns = ['method', 'at', 'capturedBy', 'evidence', 'consentTextVersion'];

/** Turns CSV rows into import rows: contact columns by name, consent columns as `consent.<name>`. */
function toRows(table: string[][]): ImportRowInput[] {
  const [header = [], ...lines] = table;
  const names = header.map((name) => name.trim());
  return lines.map((cells) => {
    const row: Record<string, unknown> = {};
    const consent: Record<string, string> = {};
    names.forEach((name, index) => {
      const value = (cells[index] ?? '').trim();
      if (value === '') return;
      const consentName = name.startsWith('consent.') ? name.slice('consent.'.length) : undefined;
      if (consentName !== undefined && consentColumns.includes(consentName)) consent[consentName] = value;
      else row[name] = value;
    });
    if (Object.keys(consent).length > 0) row.consent = consent;
    return row as ImportRowInput;
  });
}

/** CSV import in batches with progress, and the per-row report as a CSV download. */
export function ImportPage() {
  const { api } = useApp();
  const action = useAction();
  const [file, setFile] = useState<File>();
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [results, setResults] = useState<ImportResult['results']>([]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (file === undefined) {
      action.setProblems({ fields: { file: 'Choose a CSV file first.' } });
      return;
    }
    const rows = toRows(parseCsv(await file.text()));
    setResults([]);
    setProgress({ done: 0, total: rows.length });
    const all: ImportResult['results'] = [];
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const answer = await action.run(() => api.imports.create(batch));
      if (answer === undefined) break;
      all.push(
        ...answer.results.map((result) => ({
          ...result,
          row: result.row + start,
          ...(result.duplicateOf === undefined ? {} : { duplicateOf: result.duplicateOf + start }),
        })),
      );
      setResults([...all]);
      setProgress({ done: start + batch.length, total: rows.length });
    }
  };

  const failed = results.filter((result) => !result.ok).length;
  return (
    <section>
      <h1>Import contacts</h1>
      <p>
        A CSV with a header row. Contact columns: {contactFieldNames.join(', ')}. Consent columns:{' '}
        {consentColumns.map((name) => `consent.${name}`).join(', ')}.
      </p>
      <form class="stack" onSubmit={submit} noValidate>
        <Field id="import-file" label="CSV file" error={action.problems.fields.file}>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={describedBy('import-file')}
            onChange={(event) => setFile(event.currentTarget.files?.[0])}
          />
        </Field>
        <FormEnd problems={action.problems} busy={action.busy}>
          Import
        </FormEnd>
      </form>
      {progress && (
        <div class="card">
          <label for="import-progress">Rows imported</label>
          <progress id="import-progress" max={progress.total} value={progress.done}>
            {progress.done} of {progress.total}
          </progress>
          <p role="status">
            {progress.done} of {progress.total} rows sent; {results.length - failed} accepted, {failed}{' '}
            refused.
          </p>
          <Done text={progress.done === progress.total ? 'Import finished.' : undefined} />
          {results.length > 0 && (
            <button
              type="button"
              onClick={() =>
                download(
                  'import-report.csv',
                  [
                    csvLine(['row', 'phone', 'result', 'consentImported', 'note', 'smsImpossible', 'error']),
                    ...results.map((r) =>
                      csvLine([
                        r.row + 1,
                        r.phone,
                        r.result,
                        r.consentImported,
                        r.note,
                        r.smsImpossible,
                        r.error,
                      ]),
                    ),
                  ].join('\r\n') + '\r\n',
                )
              }
            >
              Download the row report
            </button>
          )}
        </div>
      )}
    </section>
  );
}
