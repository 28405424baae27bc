import type { Command } from 'commander';
import type { ConsentLineClient } from '../client';
import { connect, type GlobalOptions } from './config';
import { EXIT, type CliIo } from './io';

/** What every command gets: the streams, a client built on first use, and a place for its exit code. */
export type CliContext = {
  io: CliIo;
  /** The API client for `--url`/`--key`; throws a usage error when either is missing. */
  client(): ConsentLineClient;
  exitCode: number;
};

export function cliContext(program: Command, io: CliIo): CliContext {
  let client: ConsentLineClient | undefined;
  return {
    io,
    client: () => (client ??= connect(program.opts<GlobalOptions>(), io)),
    exitCode: EXIT.ok,
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
