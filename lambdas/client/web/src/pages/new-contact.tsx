import { useState } from 'preact/hooks';
import type { ContactInput } from '../../../types';
import { useAction, useApp } from '../app-context';
import { FormEnd } from '../components/notice';
import { TextFields } from '../components/text-fields';
import { contactFieldNames, contactFields, type ContactField } from '../contact-fields';
import { withUnshown } from '../problems';
import { go } from '../route';

type Form = Record<ContactField, string>;

/** Adds a contact (descriptive fields only: consent is logged on the contact's page). */
export function NewContactPage() {
  const { api } = useApp();
  const { busy, problems, run } = useAction();
  const [form, setForm] = useState<Form>(
    () => Object.fromEntries(contactFieldNames.map((f) => [f, ''])) as Form,
  );
  const set = (name: ContactField) => (value: string) => setForm((old) => ({ ...old, [name]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const body: ContactInput = {};
    for (const name of contactFieldNames) {
      const value = form[name].trim();
      if (name !== 'phone' && value !== '') body[name] = value;
    }
    const saved = await run(() => api.contacts.put(form.phone.trim(), body));
    if (saved) go('contacts', saved.contact.phone);
  };

  const shown = withUnshown(problems, contactFieldNames);
  return (
    <section>
      <h1>Add a contact</h1>
      <form onSubmit={submit} noValidate class="stack">
        <TextFields idPrefix="contact" fields={contactFields} form={form} set={set} errors={shown.fields} />
        <FormEnd problems={shown} busy={busy}>
          {busy ? 'Saving…' : 'Add contact'}
        </FormEnd>
      </form>
    </section>
  );
}
