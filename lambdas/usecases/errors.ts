/**
 * Failures a use case reports to whoever called it. The status uses HTTP's vocabulary because
 * every primary adapter (the HTTP API, the Twilio webhooks) answers over HTTP; the shared http
 * wrapper turns one into a JSON error response, so use cases never build responses themselves.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    /** Stable, machine-readable: clients switch on this, not on the message. */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** 400 naming the offending field, in the same `<field>: <problem>` form as schema errors. */
export function invalidField(field: string, problem: string): HttpError {
  return new HttpError(400, 'invalid_request', `${field}: ${problem}`);
}

/** 404: also what an agent gets for another agent's data, so nothing leaks about it. */
export function notFound(message: string): HttpError {
  return new HttpError(404, 'not_found', message);
}
