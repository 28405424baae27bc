import { useState } from 'preact/hooks';
import type { LedgerVerification, PhoneAudit } from '../../../types';
import { useAction, useApp } from '../app-context';
import { FormProblem } from '../components/notice';
import { TextInput } from '../components/text-input';
import { When } from '../components/when';
import { withUnshown } from '../problems';

/** Admin: everything on record about one phone across agents, and the ledger verification. */
export function PhoneRecordPage({ initialPhone }: { initialPhone?: string }) {
  const { api } = useApp();
  const action = useAction();
  const [phone, setPhone] = useState(initialPhone ?? '');
  const [record, setRecord] = useState<{ audit: PhoneAudit; verification: LedgerVerification }>();

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = await action.run(async () => {
      const [audit, verification] = await Promise.all([
        api.audit.phone(phone.trim()),
        api.ledger.verify(phone.trim()),
      ]);
      return { audit, verification };
    });
    if (found) setRecord(found);
  };
  const problems = withUnshown(action.problems, ['phone']);
  return (
    <section>
      <h1>Phone record</h1>
      <form class="filters" onSubmit={submit} noValidate>
        <TextInput
          id="record-phone"
          label="Phone"
          type="tel"
          value={phone}
          onValue={setPhone}
          error={problems.fields.phone}
        />
        <button type="submit" disabled={action.busy}>
          Show the record
        </button>
      </form>
      <FormProblem problems={problems} />
      {record && (
        <>
          <p class={record.verification.ok ? 'notice notice-done' : 'notice notice-refused'} role="status">
            {record.verification.ok
              ? `Ledger verified: ${record.verification.chains.length} chain(s), every hash matches.`
              : `Ledger broken in ${record.verification.chains.filter((c) => !c.ok).length} chain(s).`}
          </p>
          <article class="card">
            <h2>Opt-outs</h2>
            {record.audit.optOuts.length === 0 && <p>None.</p>}
            <ul>
              {record.audit.optOuts.map((optOut) => (
                <li key={optOut.id}>
                  {optOut.source.replaceAll('_', ' ')} · <When iso={optOut.at} />
                  {optOut.words && ` · “${optOut.words}”`}
                </li>
              ))}
            </ul>
          </article>
          {record.audit.chains.map((chain) => (
            <article class="card" key={chain.chainId}>
              <h2>
                Agent {chain.agentId} · {chain.verification.ok ? 'chain intact' : 'chain broken'}
              </h2>
              <ol class="timeline">
                {chain.events.map((event) => (
                  <li key={event.id}>
                    <strong>{event.type.replaceAll('_', ' ')}</strong>
                    {event.method && ` · ${event.method.replaceAll('_', ' ')}`} · <When iso={event.at} />
                    {event.evidence && <p class="evidence">“{event.evidence}”</p>}
                  </li>
                ))}
              </ol>
            </article>
          ))}
        </>
      )}
    </section>
  );
}
