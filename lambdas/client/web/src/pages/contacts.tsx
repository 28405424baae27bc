import { useState } from 'preact/hooks';
import { useApp, useLoad } from '../app-context';
import { Badge } from '../components/badge';
import { describedBy, Field } from '../components/field';
import { FormProblem } from '../components/notice';
import { Pager } from '../components/pager';
import { badgeCodes, badgeLabels, type ConsentBadge } from '../consent-view';
import { listContacts } from '../contacts-list';
import { href } from '../route';

const PAGE_SIZE = 25;

/** The agent's contacts: search by name or phone, filter by badge, paged by the API's cursor. */
export function ContactsPage() {
  const { session } = useApp();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [badge, setBadge] = useState<ConsentBadge | ''>('');
  // Cursors of the pages before this one, so "Previous page" needs no cursor from the API.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const { data, problems, loading } = useLoad(
    () =>
      listContacts(session.apiKey, {
        q: query || undefined,
        badge: badge || undefined,
        limit: PAGE_SIZE,
        cursor,
      }),
    [query, badge, cursor],
  );

  return (
    <section>
      <h1>Contacts</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([undefined]);
          setQuery(typed.trim());
        }}
      >
        <Field id="contact-search" label="Search contacts" hint="Name or phone number">
          <input
            id="contact-search"
            type="search"
            value={typed}
            aria-describedby={describedBy('contact-search')}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </Field>
        <Field id="badge-filter" label="Consent">
          <select
            id="badge-filter"
            value={badge}
            aria-describedby={describedBy('badge-filter')}
            onChange={(event) => {
              setCursors([undefined]);
              setBadge(event.currentTarget.value as ConsentBadge | '');
            }}
          >
            <option value="">All</option>
            {badgeCodes.map((code) => (
              <option key={code} value={code}>
                {badgeLabels[code]}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">Search</button>
      </form>
      <FormProblem problems={problems} />
      {loading && <p role="status">Loading…</p>}
      {data && data.items.length === 0 && <p>No contacts match.</p>}
      {data && data.items.length > 0 && (
        <ul class="rows" aria-label="Contacts">
          {data.items.map(({ contact, consent }) => (
            <li key={contact.phone} class="row">
              <a href={href('contacts', contact.phone)}>
                <span class="row-name">{contact.name ?? contact.phone}</span>
                <span class="row-phone">{contact.phone}</span>
              </a>
              <Badge badge={consent?.badge} />
            </li>
          ))}
        </ul>
      )}
      <Pager
        label="Contact pages"
        page={cursors.length - 1}
        hasNext={data?.nextCursor !== undefined}
        onPrevious={() => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list))}
        onNext={() => data?.nextCursor && setCursors((list) => [...list, data.nextCursor])}
      />
    </section>
  );
}
