import { useState } from 'preact/hooks';
import type { ConsentLineClient } from '../../../..';
import type { ConsentEventInput } from '../../../../types';
import consentRules from '../../../../../rules/data/consent.json';
import { useAction } from '../../app-context';
import { describedBy, Field } from '../../components/field';
import { Done, FormProblem } from '../../components/notice';
import { TextInput } from '../../components/text-input';
import { withUnshown } from '../../problems';

type EventType = Exclude<ConsentEventInput['type'], 'revocation'>;

const typeLabels: Record<EventType, string> = {
  express_written: 'Express written consent',
  ebr_transaction: 'Closed transaction (business relationship)',
  ebr_inquiry: 'Inquiry (business relationship)',
};

// The method names the API knows, with its own descriptions; whether one is consent is the
// API's answer (a 422 naming `method`), shown next to the list.
const acceptedMethods = Object.entries(consentRules.accepted);
const otherMethods = Object.keys(consentRules.refused);

/** A `datetime-local` value now, in the browser's zone. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** `datetime-local` (the viewer's wall clock) as an ISO instant; the text as is when unparsable. */
function toInstant(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

const blank = () => ({ at: localNow(), method: '', capturedBy: '', evidence: '', consentTextVersion: '' });

/** Forms to log a consent event and a revocation; the API's refusals shown by the field. */
export function ConsentForms({
  api,
  phone,
  onLogged,
}: {
  api: ConsentLineClient;
  phone: string;
  onLogged: () => void;
}) {
  return (
    <>
      <LogConsentForm api={api} phone={phone} onLogged={onLogged} />
      <RevocationForm api={api} phone={phone} onLogged={onLogged} />
    </>
  );
}

function LogConsentForm({
  api,
  phone,
  onLogged,
}: {
  api: ConsentLineClient;
  phone: string;
  onLogged: () => void;
}) {
  const action = useAction();
  const [type, setType] = useState<EventType>('express_written');
  const [form, setForm] = useState(blank);
  const [done, setDone] = useState<string>();
  const set = (name: keyof ReturnType<typeof blank>) => (value: string) =>
    setForm((old) => ({ ...old, [name]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(undefined);
    const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
    const body = {
      type,
      at: toInstant(form.at),
      method: optional(form.method),
      capturedBy: optional(form.capturedBy),
      evidence: optional(form.evidence),
      consentTextVersion: optional(form.consentTextVersion),
    } as ConsentEventInput;
    const logged = await action.run(() => api.consent.append(phone, body));
    if (logged) {
      setDone(`Logged: ${typeLabels[type]} (event ${logged.event.id}).`);
      setForm(blank());
      onLogged();
    }
  };

  const shown = withUnshown(action.problems, [
    'type',
    'at',
    'method',
    'capturedBy',
    'evidence',
    'consentTextVersion',
  ]);
  return (
    <form class="card stack" onSubmit={submit} noValidate aria-labelledby="log-consent-title">
      <h2 id="log-consent-title">Log consent</h2>
      <Field id="consent-type" label="Event" error={shown.fields.type}>
        <select
          id="consent-type"
          value={type}
          aria-describedby={describedBy('consent-type')}
          onChange={(event) => setType(event.currentTarget.value as EventType)}
        >
          {Object.entries(typeLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="consent-method"
        label="Method"
        error={shown.fields.method}
        hint={acceptedMethods.find(([name]) => name === form.method)?.[1]}
      >
        <select
          id="consent-method"
          value={form.method}
          aria-describedby={describedBy('consent-method')}
          aria-invalid={shown.fields.method ? true : undefined}
          onChange={(event) => set('method')(event.currentTarget.value)}
        >
          <option value="">Choose how it was obtained</option>
          <optgroup label="Consent methods">
            {acceptedMethods.map(([name]) => (
              <option key={name} value={name}>
                {name.replaceAll('_', ' ')}
              </option>
            ))}
          </optgroup>
          <optgroup label="Other ways a number arrives">
            {otherMethods.map((name) => (
              <option key={name} value={name}>
                {name.replaceAll('_', ' ')}
              </option>
            ))}
          </optgroup>
        </select>
      </Field>
      <TextInput
        id="consent-at"
        label="When"
        type="datetime-local"
        value={form.at}
        onValue={set('at')}
        error={shown.fields.at}
        hint="Your local time"
      />
      <TextInput
        id="consent-captured-by"
        label="Captured by"
        value={form.capturedBy}
        onValue={set('capturedBy')}
        error={shown.fields.capturedBy}
      />
      <TextInput
        id="consent-evidence"
        label="Evidence"
        multiline
        value={form.evidence}
        onValue={set('evidence')}
        error={shown.fields.evidence}
        hint="The exact words, or where the signed document is"
      />
      <TextInput
        id="consent-text-version"
        label="Consent wording version"
        value={form.consentTextVersion}
        onValue={set('consentTextVersion')}
        error={shown.fields.consentTextVersion}
      />
      <FormProblem problems={shown} />
      <Done text={done} />
      <button type="submit" disabled={action.busy}>
        Log consent
      </button>
    </form>
  );
}

function RevocationForm({
  api,
  phone,
  onLogged,
}: {
  api: ConsentLineClient;
  phone: string;
  onLogged: () => void;
}) {
  const action = useAction();
  const [form, setForm] = useState(blank);
  const [done, setDone] = useState<string>();
  const set = (name: keyof ReturnType<typeof blank>) => (value: string) =>
    setForm((old) => ({ ...old, [name]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(undefined);
    const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
    const logged = await action.run(() =>
      api.consent.append(phone, {
        type: 'revocation',
        at: toInstant(form.at),
        method: optional(form.method),
        capturedBy: optional(form.capturedBy),
        evidence: optional(form.evidence),
      }),
    );
    if (logged) {
      setDone(`Revocation logged (event ${logged.event.id}).`);
      setForm(blank());
      onLogged();
    }
  };

  const shown = withUnshown(action.problems, ['at', 'method', 'capturedBy', 'evidence']);
  return (
    <form class="card stack" onSubmit={submit} noValidate aria-labelledby="revocation-title">
      <h2 id="revocation-title">Log a revocation</h2>
      <TextInput
        id="revoke-at"
        label="When"
        type="datetime-local"
        value={form.at}
        onValue={set('at')}
        error={shown.fields.at}
        hint="Your local time"
      />
      <TextInput
        id="revoke-method"
        label="How it was revoked"
        value={form.method}
        onValue={set('method')}
        error={shown.fields.method}
        hint="e.g. phone call, email"
      />
      <TextInput
        id="revoke-captured-by"
        label="Captured by"
        value={form.capturedBy}
        onValue={set('capturedBy')}
        error={shown.fields.capturedBy}
      />
      <TextInput
        id="revoke-evidence"
        label="Their words"
        multiline
        value={form.evidence}
        onValue={set('evidence')}
        error={shown.fields.evidence}
      />
      <FormProblem problems={shown} />
      <Done text={done} />
      <button type="submit" disabled={action.busy}>
        Log revocation
      </button>
    </form>
  );
}
