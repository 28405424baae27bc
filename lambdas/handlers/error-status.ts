import { DomainError } from '../domain-errors';
import { HttpError } from './http-error';

// The one place a domain outcome becomes an HTTP status.
const STATUS: Record<DomainError['kind'], number> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  refused: 422,
};

/** The HTTP form of an expected failure, or undefined for anything unexpected (a 500). */
export function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError)
    return new HttpError(STATUS[error.kind], error.code, error.message, error.details);
  return undefined;
}
