/**
 * A refusal decided by the HTTP layer itself (authentication, body size, content type,
 * signatures): it already knows its status. Use cases report `DomainError`s instead, and
 * `error-status.ts` gives each its status.
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
