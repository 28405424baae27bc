import { useState } from 'preact/hooks';
import type { ContactMessages, ContactMessageView, ContactView } from '../../../../types';
import { useAction, useApp } from '../../app-context';
import { describedBy, Field } from '../../components/field';
import { Done, FormProblem } from '../../components/notice';
import { pageOf, Pager } from '../../components/pager';
import { Verdict } from '../../components/verdict';
import { When } from '../../components/when';
import type { Problems } from '../../problems';

const PAGE_SIZE = 5;

type CadenceProps = {
  phone: string;
  enrollment?: ContactView['enrollment'];
  messages?: ContactMessages;
  problems: Problems;
  contactZone?: string;
  onChanged: () => void;
};

/** The drip cadence: enroll or stop, and each upcoming step with its text and predicted verdict. */
export function CadencePanel({
  phone,
  enrollment,
  messages,
  problems,
  contactZone,
  onChanged,
}: CadenceProps) {
  const { api } = useApp();
  const action = useAction();
  const [page, setPage] = useState(0);
  const [done, setDone] = useState<string>();
  const upcoming = (messages?.messages ?? []).filter((message) => message.status === 'scheduled');
  const skipped = messages?.skipped ?? enrollment?.skipped ?? [];
  const active = enrollment?.status === 'active';

  // Each change says what it did; once the API took it, the contact is read again.
  const change = async (call: () => Promise<string>) => {
    const said = await action.run(call);
    if (said !== undefined) {
      setDone(said);
      onChanged();
    }
  };
  const stopCadence = async () => {
    const stopped = await api.unenroll(phone);
    return `Cadence stopped; ${stopped.cancelled} upcoming texts cancelled.`;
  };
  const enroll = async () => {
    const started = await api.enroll(phone);
    const passed = started.skipped.length;
    return (
      `Enrolled: ${started.steps.length} steps scheduled` +
      (passed > 0 ? `, ${passed} skipped because their moment had passed.` : '.')
    );
  };

  return (
    <article class="card" aria-labelledby="cadence-title">
      <h2 id="cadence-title">Cadence</h2>
      <p>
        {enrollment === undefined && 'Not enrolled.'}
        {active && (
          <>
            Enrolled <When iso={enrollment.enrolledAt} contactZone={contactZone} /> (cadence{' '}
            {enrollment.cadenceVersion}).
            {enrollment.closing &&
              ` Welcome and anniversary steps count from the closing on ${enrollment.closing.date}.`}
          </>
        )}
        {enrollment?.status === 'stopped' && (
          <>
            Stopped <When iso={enrollment.stoppedAt} contactZone={contactZone} />
            {enrollment.stoppedReason && `: ${enrollment.stoppedReason}`}.
          </>
        )}
      </p>
      <div class="actions">
        <button type="button" disabled={action.busy} onClick={() => change(active ? stopCadence : enroll)}>
          {active ? 'Stop the cadence' : 'Enroll in the cadence'}
        </button>
      </div>
      <FormProblem problems={action.problems} />
      <FormProblem problems={problems} />
      <Done text={done} />
      {upcoming.length > 0 && (
        <>
          <h3>Upcoming steps</h3>
          <ol class="steps">
            {pageOf(upcoming, page, PAGE_SIZE).map((step) => (
              <Step key={step.messageId} step={step} contactZone={contactZone} onChanged={onChanged} />
            ))}
          </ol>
          <Pager
            label="Upcoming step pages"
            page={page}
            hasNext={(page + 1) * PAGE_SIZE < upcoming.length}
            onPrevious={() => setPage((p) => Math.max(0, p - 1))}
            onNext={() => setPage((p) => p + 1)}
          />
        </>
      )}
      {skipped.length > 0 && (
        <>
          <h3>Skipped steps</h3>
          <ul class="steps" aria-label="Skipped steps">
            {skipped.map((step) => (
              <li key={step.step} class="step">
                <p>
                  <strong>Step {step.step}</strong> · skipped · was due{' '}
                  <When iso={step.dueAt} contactZone={contactZone} />
                </p>
                <p class="meta">{step.reason}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function Step({
  step,
  contactZone,
  onChanged,
}: {
  step: ContactMessageView;
  contactZone?: string;
  onChanged: () => void;
}) {
  const { api } = useApp();
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(step.body);
  const id = `step-${step.step ?? step.messageId}`;
  const predicted = step.predicted;

  return (
    <li class="step">
      <p>
        <strong>Step {step.step}</strong> · due <When iso={step.dueAt} contactZone={contactZone} />
      </p>
      {predicted && (
        <>
          <p class="final-text" aria-label={`Final text of step ${step.step}`}>
            {predicted.body}
          </p>
          <p class="meta">
            {predicted.content.segments} segment{predicted.content.segments === 1 ? '' : 's'} (
            {predicted.content.encoding})
          </p>
          <Verdict verdict={predicted.verdict} reasons={predicted.reasons} predicted />
        </>
      )}
      {editing ? (
        <form
          class="stack"
          noValidate
          onSubmit={async (event) => {
            event.preventDefault();
            const saved = await action.run(() => api.messages.edit(step.messageId, text));
            if (saved) {
              setEditing(false);
              onChanged();
            }
          }}
        >
          <Field id={id} label={`Text of step ${step.step}`} error={action.problems.fields.body}>
            <textarea
              id={id}
              rows={4}
              value={text}
              aria-describedby={describedBy(id)}
              onInput={(event) => setText(event.currentTarget.value)}
            />
          </Field>
          <FormProblem problems={action.problems} />
          <div class="actions">
            <button type="submit" disabled={action.busy}>
              Save step {step.step}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" onClick={() => setEditing(true)}>
          Edit step {step.step}
        </button>
      )}
    </li>
  );
}
