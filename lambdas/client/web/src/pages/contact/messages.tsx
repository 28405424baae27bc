import { useState } from 'preact/hooks';
import type { ContactMessageView } from '../../../../types';
import { ListPager, pageOf } from '../../components/pager';
import { When } from '../../components/when';

const PAGE_SIZE = 10;

const statusWords: Record<string, string> = {
  queued: 'queued to send',
  held: 'held',
  sending: 'handed to the carrier',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'not delivered',
  failed: 'failed',
  blocked: 'blocked',
  cancelled: 'cancelled',
  needs_review: 'needs review',
  scheduled: 'scheduled',
  // A text the contact sent, as the SMS webhook worked on it.
  processing: 'being handled',
  handled: 'handled',
  interrupted: 'interrupted; Twilio’s retry takes it over',
};

const kindWords: Record<string, string> = {
  manual: 'Text',
  drip: 'Cadence step',
  opt_in_request: 'Opt-in request',
  keyword_reply: 'Keyword reply',
  forward: 'Forwarded',
  inbound: 'From the contact',
};

/** What was sent, held, blocked or received, newest first, each with its timeline and receipts. */
export function MessagesPanel({
  messages,
  contactZone,
}: {
  messages?: ContactMessageView[];
  contactZone?: string;
}) {
  const [page, setPage] = useState(0);
  const past = (messages ?? []).filter((message) => message.status !== 'scheduled').reverse();
  return (
    <article class="card" aria-labelledby="messages-title">
      <h2 id="messages-title">Messages</h2>
      {past.length === 0 && <p>No messages yet.</p>}
      <ol class="messages">
        {pageOf(past, page, PAGE_SIZE).map((message) => {
          const zone = contactZone ?? message.receipt?.recipient.zones[0];
          return (
            <li key={message.messageId} class="message">
              <p>
                <strong>{kindWords[message.kind] ?? message.kind}</strong>
                {message.step !== undefined && ` ${message.step}`} ·{' '}
                {statusWords[message.status] ?? message.status}
              </p>
              <p class="final-text">{message.sentBody ?? message.body}</p>
              <ol class="timeline" aria-label="Status timeline">
                {message.history.map((change, index) => (
                  <li key={index}>
                    <strong>{statusWords[change.status] ?? change.status}</strong>{' '}
                    <When iso={change.at} contactZone={zone} />
                    {change.errorCode && ` · carrier error ${change.errorCode}`}
                    {(change.reasons ?? change.receipt?.reasons ?? []).length > 0 && (
                      <ul class="reasons">
                        {(change.reasons ?? change.receipt?.reasons ?? []).map((reason, i) => (
                          <li key={i}>{reason}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ol>
              {message.releaseAt && message.status === 'held' && (
                <p>
                  Released <When iso={message.releaseAt} contactZone={zone} />
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <ListPager label="Message pages" page={page} total={past.length} size={PAGE_SIZE} onPage={setPage} />
    </article>
  );
}
