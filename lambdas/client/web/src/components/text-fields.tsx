import { useState } from 'preact/hooks';
import { TextInput } from './text-input';

/** One text field of a form: its name in the form (and in the API's problems), label and kind. */
export type TextFieldSpec<N extends string> = {
  name: N;
  /** The id after the form's prefix; the name in kebab-case by default. */
  id?: string;
  label: string;
  type?: 'text' | 'tel' | 'date' | 'datetime-local' | 'search';
  multiline?: boolean;
  required?: boolean;
  hint?: string;
};

/**
 * A form's text values by field name: `set(name)` is a field's `onValue`, `reset` puts the
 * initial values back (after a successful submit).
 */
export function useTextForm<N extends string>(initial: () => Record<N, string>) {
  const [form, setForm] = useState(initial);
  const set = (name: N) => (value: string) => setForm((old) => ({ ...old, [name]: value }));
  return { form, set, reset: () => setForm(initial()) };
}

/**
 * The text fields of a form, in order, each with the API's message about it. Ids are
 * `<idPrefix>-<id>`; the id is the camelCase name in kebab-case (`capturedBy` → `captured-by`)
 * unless the field gives its own.
 */
export function TextFields<N extends string>({
  idPrefix,
  fields,
  form,
  set,
  errors,
}: {
  idPrefix: string;
  fields: readonly TextFieldSpec<N>[];
  form: Record<N, string>;
  set: (name: N) => (value: string) => void;
  errors: Partial<Record<string, string>>;
}) {
  return (
    <>
      {fields.map((field) => (
        <TextInput
          key={field.name}
          id={`${idPrefix}-${field.id ?? kebab(field.name)}`}
          label={field.label}
          type={field.type}
          multiline={field.multiline}
          required={field.required}
          hint={field.hint}
          value={form[field.name]}
          onValue={set(field.name)}
          error={errors[field.name]}
        />
      ))}
    </>
  );
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
