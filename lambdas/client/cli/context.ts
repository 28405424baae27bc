import type { Command } from 'commander';
import type { ConsentLineClient } from '../client';
import { connect, type GlobalOptions } from './config';
import { EXIT, type CliIo } from './io';
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
