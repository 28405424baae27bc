import type { Command } from 'commander';
import type { ConsentLineClient } from '../client';
import { connect, type GlobalOptions } from './config';
import { EXIT, write, writeJson, type CliIo } from './io';
import { styleFor, type Style } from './style';

/** What `--at now` (and an omitted `--at`) stands for until the server says what time it is. */
export const NOW = 'now';

/** What every command gets: the streams, a client built on first use, and a place for its exit code. */
export type CliContext = {
  io: CliIo;
  /** The API client for `--url`/`--key`; throws a usage error when either is missing. */
  client(): ConsentLineClient;
  exitCode: number;
  /** Colour and time-zone choices for this invocation. */
  style(): Style;
  /** `value` as an instant; `now` (or nothing) is the server's clock, which may be a test clock. */
  instant(value: string | undefined): Promise<string>;
};

export function cliContext(program: Command, io: CliIo): CliContext {
  let client: ConsentLineClient | undefined;
  const getClient = () => (client ??= connect(program.opts<GlobalOptions>(), io));
  return {
    io,
    client: getClient,
    exitCode: EXIT.ok,
    style: () => styleFor(io, program.opts<GlobalOptions>()),
    instant: async (value) => (value === undefined || value === NOW ? (await getClient().time()).now : value),
  };
}

/**
 * Wraps a command body as a commander action: the body's return value (default 0) becomes the
 * exit code; thrown errors are mapped to exit codes by `main`.
 */
export function action<A extends unknown[]>(
  ctx: CliContext,
  body: (...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    ctx.exitCode = (await body(...args)) ?? EXIT.ok;
  };
}

/** What a command that asks the API once does with its arguments, and how it shows the answer. */
export type AnswerSpec<O extends object, R> = {
  /** Help of `--json`; by default it prints the API answer. */
  jsonHelp?: string;
  /** The call, given the command's options and its (parsed) argument, '' when it takes none. */
  ask: (client: ConsentLineClient, opts: O, arg: string) => Promise<R>;
  /** What `--json` prints; the answer itself by default. */
  json?: (answer: R) => unknown;
  /** The answer for a person; a newline is added. */
  text: (answer: R, arg: string) => string;
  /** The exit code the answer means; 0 by default. */
  exit?: (answer: R) => number;
};

/**
 * Ends `command` (its arguments and other options declared) with `--json` and the action every
 * API command shares: ask, then print the answer as JSON or as text, then exit as it says.
 *
 * @example
 * answerCommand(consent.command('history').addArgument(contactPhone()), ctx, {
 *   ask: (client, _opts, phone) => client.consent.history(phone),
 *   text: formatHistory,
 * });
 */
export function answerCommand<O extends object, R>(
  command: Command,
  ctx: CliContext,
  spec: AnswerSpec<O, R>,
): Command {
  return command.option('--json', spec.jsonHelp ?? 'print the API answer as JSON').action(
    // Commander calls an action with the arguments, then the options, then the command.
    action(ctx, async (...params: unknown[]) => {
      const arg = params.length > 2 ? (params[0] as string) : '';
      const opts = params.at(-2) as O & { json?: boolean };
      const answer = await spec.ask(ctx.client(), opts, arg);
      if (opts.json) await writeJson(ctx.io.stdout, spec.json ? spec.json(answer) : answer);
      else await write(ctx.io.stdout, `${spec.text(answer, arg)}\n`);
      return spec.exit?.(answer);
    }),
  );
}
