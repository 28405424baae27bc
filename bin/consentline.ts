#!/usr/bin/env -S node --import tsx
/**
 * `consentline`: the agents' and admins' command line. The commands live in
 * lambdas/client/cli/; this entry only wires the process's streams and exit code.
 */
import { main } from '../lambdas/client/cli/main';

export { main };

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
