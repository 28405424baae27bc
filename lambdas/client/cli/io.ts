import { once } from 'node:events';

/** What the CLI reads and writes; injected so tests run it in-process. */
export type CliIo = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
};

/**
 * Exit codes: 0 done (a text sent or queued), 1 the API refused something (or a row/check
 * failed), 2 bad usage, 3 a text held (the release time is printed), 4 a text blocked (the
 * reasons are printed).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, held: 3, blocked: 4 } as const;

/** The exit codes as the help text lists them. */
export const EXIT_HELP = `Exit codes:
  0  done; a text was sent or queued
  1  the API refused the request, or a check or import row failed
  2  bad usage (unknown option, missing argument, bad value)
  3  the text is held by the quiet-hours or caps rules; the release time is printed
  4  the text is blocked; the reasons are printed`;

/** A mistake in how the CLI was called; exit code 2 and a message naming it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Whether a human is watching the stream (progress bars then redraw in place). */
export function isTty(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** Writes and waits for the stream to drain when its buffer is full, so a large export never piles up in memory. */
export async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Pretty JSON, one value, newline-terminated. */
export function writeJson(stream: NodeJS.WritableStream, value: unknown): Promise<void> {
  return write(stream, `${JSON.stringify(value, null, 2)}\n`);
}
