import { ConsentLineApiError } from '../../errors';

/**
 * What went wrong with a request, for a form: messages by the field they name (`method`,
 * `phone`, …) and what names no field. Nothing the API said is dropped.
 */
export type Problems = {
  fields: Record<string, string>;
  form?: string;
  /** 401: the key is no longer good; the app sends the user back to sign-in. */
  signedOut?: boolean;
  /** The API did not answer, or answered 5xx: the user's input is kept to try again. */
  unavailable?: boolean;
};

export const noProblems: Problems = { fields: {} };

// The API's messages start with the field they are about: "method: a business card implies…".
const FIELD_PREFIX = /^(?:body\.|query\.|path\.)?([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*): (.+)$/s;

/** Sorts an error thrown by the client into field and form messages. */
export function problemsOf(error: unknown): Problems {
  if (error instanceof ConsentLineApiError) {
    if (error.status === 401) return { fields: {}, form: error.message, signedOut: true };
    if (error.status >= 500) {
      return {
        fields: {},
        form: `The service failed (HTTP ${error.status}): ${error.message}`,
        unavailable: true,
      };
    }
    const fields: Record<string, string> = {};
    const loose: string[] = [];
    const issues = error.issues ?? [];
    for (const issue of issues) {
      const name = issue.path.replace(/^(body|query|path)\./, '');
      if (name === '' || name === issue.path.split('.')[0]) loose.push(issue.message);
      else fields[name] = fields[name] ? `${fields[name]}; ${issue.message}` : issue.message;
    }
    if (issues.length === 0) {
      const match = FIELD_PREFIX.exec(error.message);
      if (match?.[1] !== undefined && match[2] !== undefined) fields[match[1]] = match[2];
      else loose.push(error.message);
    }
    return { fields, ...(loose.length > 0 ? { form: loose.join('; ') } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    fields: {},
    form: `The service could not be reached (${message}). Nothing was lost: try again.`,
    unavailable: true,
  };
}

/** Messages naming fields this form does not show are shown with the form, not hidden. */
export function withUnshown(problems: Problems, shown: readonly string[]): Problems {
  const extra = Object.entries(problems.fields).filter(([name]) => !shown.includes(name));
  if (extra.length === 0) return problems;
  const text = extra.map(([name, message]) => `${name}: ${message}`).join('; ');
  return { ...problems, form: problems.form ? `${problems.form}; ${text}` : text };
}
