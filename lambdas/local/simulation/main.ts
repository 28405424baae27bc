import '../quiet-logs';
import { runCli } from './cli';

/** `npm run simulate -- --contacts 10000 --days 365 --seed 42 [--json out.json]` */
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
