/**
 * Checks of command-line values made before anything is sent, so a typo is a usage error
 * (exit 2) naming the argument. The rules are the API's own (same phone parser).
 */
import { Argument, InvalidArgumentError, type Command } from 'commander';
import { toE164 } from '../../handlers/http/schemas';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A US/Canada phone number in any common form → E.164. */
export function phoneArgument(value: string): string {
  const result = toE164(value);
  if ('problem' in result) throw new InvalidArgumentError(result.problem);
  return result.e164;
}

/** The `<phone>` argument of a command on one contact. */
export function contactPhone(): Argument {
  return new Argument('<phone>', 'the contact’s number').argParser(phoneArgument);
}

/** `<group> <name> <phone>`: a subcommand of `group` on one contact. */
export function contactCommand(group: Command, name: string, description: string): Command {
  return group.command(name).description(description).addArgument(contactPhone());
}

/** `<group> <name> <agentId>`: a subcommand of `group` on one agent. */
export function agentCommand(group: Command, name: string, description: string): Command {
  return group.command(name).description(description).addArgument(new Argument('<agentId>', 'the agent id'));
}

/** An ISO-8601 instant with a zone (`2026-03-14T15:09:26Z`, `…-05:00`), or `now`. */
export function instantArgument(value: string): string {
  // Resolved against the server's clock when the command runs (CliContext.instant).
  if (value === 'now') return value;
  if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError(
      'expected an ISO-8601 instant with a zone, e.g. 2026-03-14T15:09:26Z, or "now"',
    );
  }
  return new Date(value).toISOString();
}

/** A calendar date `YYYY-MM-DD`. */
export function dateArgument(value: string): string {
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  }
  return value;
}

/** A date (its UTC midnight) or an instant; used for export ranges. */
export function rangeBoundArgument(value: string): string {
  return DATE.test(value) ? `${dateArgument(value)}T00:00:00.000Z` : instantArgument(value);
}

/** A whole number in [min, max]. */
export function integerArgument(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}
