import { useAction, useApp } from '../../app-context';
import { Badge } from '../../components/badge';
import { Done, FormProblem } from '../../components/notice';
import { When } from '../../components/when';
import type { ConsentView } from '../../consent-view';
import { useState } from 'preact/hooks';
import type { LedgerVerification } from '../../../../types';

const yesNo = (allowed: boolean) => (allowed ? 'Yes' : 'No');

/** A labelled instant of the facts list; nothing when there is no instant. */
function InstantFact({ label, iso, contactZone }: { label: string; iso?: string; contactZone?: string }) {
  if (!iso) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <When iso={iso} contactZone={contactZone} />
      </dd>
    </>
  );
}

/** The consent as the API sees it now: badge, what it permits, since/until, the event relied on, why. */
export function ConsentCard(props: {
  consent?: ConsentView;
  phone: string;
  contactZone?: string;
  onChanged: () => void;
}) {
  const { consent, phone, contactZone } = props;
  const { api } = useApp();
  const check = useAction();
  const request = useAction();
  const [verification, setVerification] = useState<LedgerVerification>();
  const [requested, setRequested] = useState<string>();

  return (
    <article class="card" aria-labelledby="consent-card-title">
      <h2 id="consent-card-title">Consent</h2>
      {consent === undefined ? (
        <p>The API sent no consent view for this contact.</p>
      ) : (
        <>
          <p class="card-badge">
            <Badge badge={consent.badge} />
          </p>
          <p class="reason">{consent.reason}</p>
          {consent.note && <p class="note">{consent.note}</p>}
          <dl class="facts">
            <dt>Automated texts (cadence)</dt>
            <dd>{yesNo(consent.permits.automated)}</dd>
            <dt>One-to-one texts</dt>
            <dd>{yesNo(consent.permits.manual)}</dd>
            <dt>Consent request</dt>
            <dd>{yesNo(consent.permits.consentRequest)}</dd>
            <InstantFact label="Since" iso={consent.since} contactZone={contactZone} />
            <InstantFact label="Until" iso={consent.until} contactZone={contactZone} />
            {consent.reliedOn && (
              <>
                <dt>Relied on</dt>
                <dd>
                  {consent.reliedOn.type}
                  {consent.reliedOn.method && ` (${consent.reliedOn.method})`},{' '}
                  <When iso={consent.reliedOn.at} contactZone={contactZone} /> · event{' '}
                  {consent.reliedOn.eventId}
                </dd>
              </>
            )}
          </dl>
        </>
      )}
      <div class="actions">
        {consent?.permits.consentRequest && (
          <button
            type="button"
            disabled={request.busy}
            onClick={async () => {
              const sent = await request.run(() => api.consent.request(phone));
              if (sent) {
                setRequested('Consent request sent; it is in Messages.');
                props.onChanged();
              }
            }}
          >
            Send a consent request
          </button>
        )}
        <button
          type="button"
          disabled={check.busy}
          onClick={async () => {
            const result = await check.run(() => api.ledger.verify(phone));
            if (result) setVerification(result);
          }}
        >
          Check the ledger
        </button>
      </div>
      <FormProblem problems={request.problems} />
      <Done text={requested} />
      <FormProblem problems={check.problems} />
      {verification && (
        <Done
          text={
            verification.ok
              ? `Ledger intact: ${verification.chains.map((chain) => `${chain.events} events`).join(', ') || 'no events'}, every hash matches.`
              : `Ledger broken: ${verification.chains
                  .filter((chain) => !chain.ok)
                  .map((chain) => `event ${chain.firstBroken?.seq}: ${chain.firstBroken?.problem}`)
                  .join('; ')}`
          }
        />
      )}
    </article>
  );
}
