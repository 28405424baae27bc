import { benchGate } from './gate-bench';

/** `npm run bench`: prints figures; nothing here passes or fails. */
async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'gate') benchGate();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
