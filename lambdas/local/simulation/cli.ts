import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startLocalRuntime } from '../runtime';
import { progressBar } from './progress';
import { runSimulation, SIMULATION_RUNTIME_OPTIONS } from './simulation';
import { failures, formatSummary } from './summary';

/** A Monday in mid-December: Christmas, New Year's Day and, in a year's run, Thanksgiving and both DST changes. */
const DEFAULT_START = '2026-12-14T00:00:00Z';

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new Error(`--${name}: ${value} is not a positive integer`);
  return number;
}

/**
 * Runs one simulation on a fresh local runtime and prints the summary; resolves to the exit code:
 * 1 when a rule was broken or an injected fault never happened, 0 otherwise.
 */
export async function runCli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      contacts: { type: 'string', default: '10000' },
      days: { type: 'string', default: '365' },
      seed: { type: 'string', default: '42' },
      start: { type: 'string', default: DEFAULT_START },
      'enroll-share': { type: 'string', default: '0.2' },
      json: { type: 'string' },
    },
  });
  const start = new Date(values.start);
  if (Number.isNaN(start.getTime())) throw new Error(`--start: ${values.start} is not an ISO-8601 instant`);
  const enrollShare = Number(values['enroll-share']);
  if (!(enrollShare >= 0 && enrollShare <= 1)) throw new Error('--enroll-share: expected a number in [0, 1]');

  const runtime = await startLocalRuntime({ port: 0, clockStart: start, ...SIMULATION_RUNTIME_OPTIONS });
  try {
    const result = await runSimulation({
      contacts: positiveInteger('contacts', values.contacts),
      days: positiveInteger('days', values.days),
      seed: positiveInteger('seed', values.seed),
      enrollShare,
      runtime,
      onProgress: progressBar(),
    });
    console.log(formatSummary(result));
    if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
    const failed = failures(result);
    if (failed.length > 0) console.log(`\nFAILED\n${failed.map((line) => `  ${line}`).join('\n')}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await runtime.stop();
  }
}
