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
