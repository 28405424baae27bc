import type { ComponentChildren } from 'preact';

type FieldProps = {
  id: string;
  label: string;
  /** The API's message about this field. */
  error?: string;
  hint?: ComponentChildren;
  children: ComponentChildren;
};

/**
 * A labelled form control with its hint and the API's message about it, both tied to the
 * control for screen readers. The control inside must carry `id` and `aria-describedby={describedBy(id)}`.
 */
export function Field({ id, label, error, hint, children }: FieldProps) {
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint !== undefined && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <p class="error" id={`${id}-error`} role={error ? 'alert' : undefined} hidden={!error}>
        {error}
      </p>
    </div>
  );
}

/** The ids a control inside {@link Field} is described by. */
export function describedBy(id: string): string {
  return `${id}-hint ${id}-error`;
}
