import type { ConsentHistoryView } from '../../../../types';
import { FormProblem } from '../../components/notice';
import { ListPager, pageOf } from '../../components/pager';
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
          ) : entry.viaThisAgent ? (
            <li key={entry.id}>
              <strong>opted out</strong> ({entry.source.replaceAll('_', ' ')}, by texting you)
              <br />
              <When iso={entry.at} contactZone={props.contactZone} />
              {entry.words && <p class="evidence">“{entry.words}”</p>}
            </li>
          ) : (
            // Another agent's opt-out: the API tells that it exists, not when, how or in what words.
            <li key="platform-wide">
              <strong>{entry.note}</strong>
            </li>
          ),
        )}
      </ol>
      <ListPager
        label="Consent history pages"
        page={page}
        total={entries.length}
        size={PAGE_SIZE}
        onPage={setPage}
      />
    </article>
  );
}
