import type { ApiErrorBody } from './types';

/** The API answered with an error: its HTTP status and the `{error, message, issues?}` body. */
export class ConsentLineApiError extends Error {
  override readonly name = 'ConsentLineApiError';
  /** Stable, machine-readable (`invalid_request`, `not_found`, `consent_not_valid`, …). */
  readonly code: string;
  readonly issues?: ApiErrorBody['issues'];
  /** The whole error body, for fields a route adds (e.g. `consentStatus`). */
  readonly body: Record<string, unknown>;

  constructor(
    readonly status: number,
    body: Record<string, unknown>,
  ) {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    super(message);
    this.code = typeof body.error === 'string' ? body.error : 'http_error';
    if (Array.isArray(body.issues)) this.issues = body.issues as ApiErrorBody['issues'];
    this.body = body;
  }
}

/** No answer from the API: unreachable, refused, timed out, or not JSON. */
export class ConsentLineConnectionError extends Error {
  override readonly name = 'ConsentLineConnectionError';
}
