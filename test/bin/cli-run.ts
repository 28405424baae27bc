import { Writable } from 'node:stream';
import { main } from '../../bin/consentline';

export type Run = { code: number; stdout: string; stderr: string };

/** Runs the CLI in-process with captured output; `tty` makes stdout look like a terminal. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  opts: { tty?: boolean } = {},
): Promise<Run> {
  const [stdout, stderr] = [capture(opts.tty === true), capture(false)];
  const code = await main(argv, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A writable stream that keeps what is written; `tty` makes it look like a terminal. */
export function capture(tty = false): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  if (tty) Object.assign(stream, { isTTY: true });
  return { stream, text: () => text };
}
