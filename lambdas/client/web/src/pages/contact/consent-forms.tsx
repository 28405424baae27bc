import { useState } from 'preact/hooks';
import type { ConsentLineClient } from '../../../..';
import type { ConsentEventInput } from '../../../../types';
import consentRules from '../../../../../rules/data/consent.json';
import { useAction } from '../../app-context';
import { describedBy, Field } from '../../components/field';
import { FormEnd } from '../../components/notice';
import { TextFields, useTextForm, type TextFieldSpec } from '../../components/text-fields';
import { withUnshown } from '../../problems';

type EventType = Exclude<ConsentEventInput['type'], 'revocation'>;

const typeLabels: Record<EventType, string> = {
  express_written: 'Express written consent',
  express_oral: 'Oral consent (call, meeting, referral)',
  ebr_transaction: 'Closed transaction (business relationship)',
  ebr_inquiry: 'Inquiry (business relationship)',
};

// The method names the API knows, with their descriptions; whether one is consent for the
// chosen event is the API's answer (a 422 naming `method`), shown next to the list.
const methodGroups: Array<[string, Record<string, string>]> = [
  ['Written consent', consentRules.written],
  ['Oral consent', consentRules.oral],
  ['Other ways a number arrives', consentRules.refused],
];
const descriptions: Record<string, string> = { ...consentRules.written, ...consentRules.oral };

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
type FieldName = keyof ReturnType<typeof blank>;

const when: TextFieldSpec<FieldName> = {
  name: 'at',
  label: 'When',
  type: 'datetime-local',
  hint: 'Your local time',
};
const capturedBy: TextFieldSpec<FieldName> = { name: 'capturedBy', label: 'Captured by' };
// The consent form's method is a list of the API's names, above these.
const consentFields: TextFieldSpec<FieldName>[] = [
  when,
  capturedBy,
  {
    name: 'evidence',
    label: 'Evidence',
    multiline: true,
    hint: 'The exact words, or where the signed document is',
  },
  { name: 'consentTextVersion', id: 'text-version', label: 'Consent wording version' },
];
const revocationFields: TextFieldSpec<FieldName>[] = [
  when,
  { name: 'method', label: 'How it was revoked', hint: 'e.g. phone call, email' },
  capturedBy,
  { name: 'evidence', label: 'Their words', multiline: true },
];

type FormProps = { api: ConsentLineClient; phone: string; onLogged: () => void };

/** The logged fields of either form, trimmed; empty ones left out. */
type LoggedFields = {
  at: string;
  method?: string;
  capturedBy?: string;
  evidence?: string;
  consentTextVersion?: string;
};

/**
 * What both forms share: the field values, the API call and its outcome. `log` appends the
 * event `body` builds from the fields, then says `said(eventId)`, clears the form and tells the page.
 */
function useConsentLog({ api, phone, onLogged }: FormProps) {
  const action = useAction();
  const { form, set, reset } = useTextForm(blank);
  const [done, setDone] = useState<string>();
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const log = async (
    event: Event,
    body: (fields: LoggedFields) => ConsentEventInput,
    said: (eventId: string) => string,
  ) => {
    event.preventDefault();
    setDone(undefined);
    const fields: LoggedFields = {
      at: toInstant(form.at),
      method: optional(form.method),
      capturedBy: optional(form.capturedBy),
      evidence: optional(form.evidence),
      consentTextVersion: optional(form.consentTextVersion),
    };
    const logged = await action.run(() => api.consent.append(phone, body(fields)));
    if (logged) {
      setDone(said(logged.event.id));
      reset();
      onLogged();
    }
  };
  return { action, form, set, done, log };
}

/** Forms to log a consent event and a revocation; the API's refusals shown by the field. */
export function ConsentForms(props: FormProps) {
  return (
    <>
      <LogConsentForm {...props} />
      <RevocationForm {...props} />
    </>
  );
}

function LogConsentForm(props: FormProps) {
  const [type, setType] = useState<EventType>('express_written');
  const { action, form, set, done, log } = useConsentLog(props);
  const submit = (event: Event) =>
    log(
      event,
      (fields) => ({ type, ...fields }) as ConsentEventInput,
      (id) => `Logged: ${typeLabels[type]} (event ${id}).`,
    );

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
      <Field id="consent-method" label="Method" error={shown.fields.method} hint={descriptions[form.method]}>
        <select
          id="consent-method"
          value={form.method}
          aria-describedby={describedBy('consent-method')}
          aria-invalid={shown.fields.method ? true : undefined}
          onChange={(event) => set('method')(event.currentTarget.value)}
        >
          <option value="">Choose how it was obtained</option>
          {methodGroups.map(([group, methods]) => (
            <optgroup key={group} label={group}>
              {Object.keys(methods).map((name) => (
                <option key={name} value={name}>
                  {name.replaceAll('_', ' ')}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </Field>
      <TextFields idPrefix="consent" fields={consentFields} form={form} set={set} errors={shown.fields} />
      <FormEnd problems={shown} done={done} busy={action.busy}>
        Log consent
      </FormEnd>
    </form>
  );
}

function RevocationForm(props: FormProps) {
  const { action, form, set, done, log } = useConsentLog(props);
  const submit = (event: Event) =>
    log(
      event,
      ({ consentTextVersion: _wording, ...fields }) => ({ type: 'revocation', ...fields }),
      (id) => `Revocation logged (event ${id}).`,
    );

  const shown = withUnshown(action.problems, ['at', 'method', 'capturedBy', 'evidence']);
  return (
    <form class="card stack" onSubmit={submit} noValidate aria-labelledby="revocation-title">
      <h2 id="revocation-title">Log a revocation</h2>
      <TextFields idPrefix="revoke" fields={revocationFields} form={form} set={set} errors={shown.fields} />
      <FormEnd problems={shown} done={done} busy={action.busy}>
        Log revocation
      </FormEnd>
    </form>
  );
}
