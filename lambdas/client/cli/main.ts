import { CommanderError } from 'commander';
import { ConsentLineApiError, ConsentLineConnectionError } from '../errors';
import { EXIT, UsageError, type CliIo } from './io';
import { buildProgram } from './program';

// Commander's codes for output the user asked for: not errors.
const INFORMATIONAL = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns its exit code:
 * 0 done, 1 the API refused or a check failed, 2 bad usage. Never calls `process.exit`, so
 * tests run it in-process with their own streams and environment.
 *
 * @example
 * const code = await main(['consent', 'status', '+12125550123'], { stdout, stderr, env: process.env });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const { program, ctx } = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already written its message (and help) to stderr.
    return INFORMATIONAL.has(error.code) ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ConsentLineApiError) {
    const issues = (error.issues ?? []).map((issue) => `  ${issue.path}: ${issue.message}\n`).join('');
    io.stderr.write(`error: ${error.message} (${error.code}, HTTP ${error.status})\n${issues}`);
    return EXIT.failed;
  }
  if (error instanceof ConsentLineConnectionError) {
    io.stderr.write(`error: the API did not answer: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
