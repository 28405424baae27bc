import { useState } from 'preact/hooks';
import type { ContactInput } from '../../../types';
import { useAction, useApp } from '../app-context';
import { FormProblem } from '../components/notice';
import { TextInput } from '../components/text-input';
import { withUnshown } from '../problems';
import { go } from '../route';

const fields = [
  'phone',
  'name',
  'state',
  'postalCode',
  'timeZone',
  'closingDate',
  'address',
  'notes',
] as const;
type Form = Record<(typeof fields)[number], string>;

const labels: Record<keyof Form, string> = {
  phone: 'Phone',
  name: 'Name',
  state: 'State (USPS code)',
  postalCode: 'ZIP code',
  timeZone: 'Time zone (IANA, e.g. America/New_York)',
  closingDate: 'Closing date',
  address: 'Address',
  notes: 'Notes',
};

/** Adds a contact (descriptive fields only: consent is logged on the contact's page). */
export function NewContactPage() {
  const { api } = useApp();
  const { busy, problems, run } = useAction();
  const [form, setForm] = useState<Form>(() => Object.fromEntries(fields.map((f) => [f, ''])) as Form);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body: ContactInput = {};
    for (const name of fields) {
      const value = form[name].trim();
      if (name !== 'phone' && value !== '') body[name] = value;
    }
    const saved = await run(() => api.contacts.put(form.phone.trim(), body));
    if (saved) go('contacts', saved.contact.phone);
  };

  const shown = withUnshown(problems, fields);
  return (
    <section>
      <h1>Add a contact</h1>
      <form onSubmit={submit} noValidate class="stack">
        {fields.map((name) => (
          <TextInput
            key={name}
            id={`contact-${name}`}
            label={labels[name]}
            type={name === 'phone' ? 'tel' : name === 'closingDate' ? 'date' : 'text'}
            multiline={name === 'notes'}
            required={name === 'phone'}
            value={form[name]}
            error={shown.fields[name]}
            onValue={(value) => setForm((old) => ({ ...old, [name]: value }))}
          />
        ))}
        <FormProblem problems={shown} />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Add contact'}
        </button>
      </form>
    </section>
  );
}
