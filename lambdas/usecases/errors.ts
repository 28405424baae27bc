import { InvalidInput, NotFound } from '../domain-errors';

export { Conflict, DomainError, Forbidden, InvalidInput, NotFound, Refused } from '../domain-errors';

/** The input breaks a rule: names the field, in the same `<field>: <problem>` form as schema errors. */
export function invalidField(field: string, problem: string): InvalidInput {
  return new InvalidInput(field, problem);
}

/** Also what an agent gets for another agent's data, so nothing leaks about it. */
export function notFound(message: string): NotFound {
  return new NotFound(message);
}
