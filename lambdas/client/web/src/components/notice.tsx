import type { ComponentChildren } from 'preact';
import type { Problems } from '../problems';

/** The message of a form or page that names no field; says whether what was typed is kept. */
export function FormProblem({ problems }: { problems: Problems }) {
  if (!problems.form) return null;
  return (
    <p class={problems.unavailable ? 'notice notice-unavailable' : 'notice notice-refused'} role="alert">
      {problems.form}
    </p>
  );
}

export function Done({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <p class="notice notice-done" role="status">
      {text}
    </p>
  );
}

/**
 * A form's last lines: what the API refused, what it did (when `done` is given), and the submit
 * button, disabled while the request is in flight.
 */
export function FormEnd({
  problems,
  done,
  busy,
  children,
}: {
  problems: Problems;
  done?: string;
  busy: boolean;
  children: ComponentChildren;
}) {
  return (
    <>
      <FormProblem problems={problems} />
      <Done text={done} />
      <button type="submit" disabled={busy}>
        {children}
      </button>
    </>
  );
}
