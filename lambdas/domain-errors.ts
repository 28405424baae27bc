/**
 * What a use case or a port reports when it cannot do what was asked, in the domain's words.
 * The primary adapters decide what each means on their wire (the HTTP API maps them in one
 * table, `handlers/http/error-status.ts`); nothing below the handlers knows about statuses.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid_input' | 'not_found' | 'conflict' | 'refused' | 'forbidden';

  constructor(
    /** Stable, machine-readable: clients switch on this, not on the message. */
    readonly code: string,
    message: string,
    /** Facts a caller can act on (the release time, the badge, the valid values). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The input breaks a rule; the message names the field, in the `<field>: <problem>` form of schema errors. */
export class InvalidInput extends DomainError {
  override readonly name: string = 'InvalidInput';
  readonly kind = 'invalid_input';

  constructor(
    readonly field: string,
    problem: string,
    details?: Record<string, unknown>,
  ) {
    super('invalid_request', `${field}: ${problem}`, details);
  }
}

/** No such thing, or none this caller may see: another agent's data is absent, not forbidden. */
export class NotFound extends DomainError {
  override readonly name: string = 'NotFound';
  readonly kind = 'not_found';

  constructor(message: string) {
    super('not_found', message);
  }
}

/** The request fits the rules but not the current state (already enrolled, number taken, lost a race). */
export class Conflict extends DomainError {
  override readonly name: string = 'Conflict';
  readonly kind = 'conflict';
}

/** Well-formed, but the rules refuse it (no written consent, a refused number, an unknown placeholder). */
export class Refused extends DomainError {
  override readonly name: string = 'Refused';
  readonly kind = 'refused';
}

/** This caller may not do this at all (a suspended agent, another agent's export). */
export class Forbidden extends DomainError {
  override readonly name: string = 'Forbidden';
  readonly kind = 'forbidden';
}
