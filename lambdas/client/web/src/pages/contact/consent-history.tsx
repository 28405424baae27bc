import type { ConsentHistoryView } from '../../../../types';
import { FormProblem } from '../../components/notice';
import { pageOf, Pager } from '../../components/pager';
import { When } from '../../components/when';
import type { Problems } from '../../problems';
import { useState } from 'preact/hooks';

const PAGE_SIZE = 10;

/** Every ledger event and opt-out of the contact, newest first, as the API lists them. */
export function ConsentHistory(props: {
  history?: ConsentHistoryView;
  problems: Problems;
  contactZone?: string;
}) {
  const [page, setPage] = useState(0);
  const entries = [...(props.history?.history ?? [])].reverse();
  return (
    <article class="card" aria-labelledby="history-title">
      <h2 id="history-title">Consent history</h2>
      <FormProblem problems={props.problems} />
      {entries.length === 0 && <p>Nothing logged yet.</p>}
      <ol class="timeline">
        {pageOf(entries, page, PAGE_SIZE).map((entry) =>
          entry.kind === 'ledger' ? (
            <li key={entry.id}>
              <strong>{entry.type.replaceAll('_', ' ')}</strong>
              {entry.method && <> · {entry.method.replaceAll('_', ' ')}</>}
              {entry.capturedBy && <> · captured by {entry.capturedBy}</>}
              <br />
              <When iso={entry.at} contactZone={props.contactZone} />
              {entry.evidence && <p class="evidence">“{entry.evidence}”</p>}
              <p class="meta">
                event {entry.id} · recorded <When iso={entry.recordedAt} />
                {entry.correctsId && <> · corrects {entry.correctsId}</>}
              </p>
            </li>
          ) : (
            <li key={entry.id}>
              <strong>opted out</strong> ({entry.source.replaceAll('_', ' ')}
              {entry.viaThisAgent ? ', by texting you' : ', through another sender'})
              <br />
              <When iso={entry.at} contactZone={props.contactZone} />
              {entry.words && <p class="evidence">“{entry.words}”</p>}
            </li>
          ),
        )}
      </ol>
      {entries.length > PAGE_SIZE && (
        <Pager
          label="Consent history pages"
          page={page}
          hasNext={(page + 1) * PAGE_SIZE < entries.length}
          onPrevious={() => setPage((p) => Math.max(0, p - 1))}
          onNext={() => setPage((p) => p + 1)}
        />
      )}
    </article>
  );
}
