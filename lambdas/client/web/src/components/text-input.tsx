import { describedBy, Field } from './field';

type TextInputProps = {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string;
  hint?: string;
  type?: 'text' | 'tel' | 'date' | 'datetime-local' | 'search';
  multiline?: boolean;
  required?: boolean;
};

/** A labelled text field that shows the API's message about it. */
export function TextInput({
  id,
  label,
  value,
  onValue,
  error,
  hint,
  type = 'text',
  multiline,
  required,
}: TextInputProps) {
  const common = {
    id,
    value,
    required,
    'aria-describedby': describedBy(id),
    'aria-invalid': error ? true : undefined,
  };
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {multiline ? (
        <textarea {...common} rows={3} onInput={(event) => onValue(event.currentTarget.value)} />
      ) : (
        <input {...common} type={type as 'text'} onInput={(event) => onValue(event.currentTarget.value)} />
      )}
    </Field>
  );
}
