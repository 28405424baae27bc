import '../../lambdas/local/quiet-logs';
import { cpus, loadavg } from 'node:os';
import { benchBundles } from './bundle-bench';
import { progress, startBenchRuntime } from './bench-runtime';
import { benchClassifier } from './classifier-bench';
import { benchConsentAppend, type ConsentBenchResult } from './consent-bench';
import { recordFigure, writeFigures } from './figures';
import { benchConsole } from './console-bench';
import { benchFallbackCapture } from './fallback-bench';
import { benchGate } from './gate-bench';
import { benchLookups } from './lookup-bench';
import { markdownTable, type BenchSection } from './measure';
import { benchPipeline } from './pipeline-bench';
import { benchStopWebhook } from './stop-webhook-bench';
import { benchSweep } from './sweep-bench';
import { benchZoneOffsets } from './zone-offset-bench';

const BENCHES = [
  'gate',
  'classifier',
  'stop',
  'consent',
  'pipeline',
  'sweep',
  'fallback',
  'lookup',
  'bundles',
  'console',
] as const;
type BenchName = (typeof BENCHES)[number];
const RUNTIME_BENCHES: BenchName[] = ['stop', 'consent', 'pipeline', 'sweep', 'fallback', 'lookup'];

/**
 * `npm run bench [-- <name>] [-- --no-bundles]`: runs every measurement (or only `<name>`: gate,
 * classifier, stop, consent, pipeline, sweep, fallback, lookup, bundles, console) and prints one markdown table on stdout; progress
 * goes to stderr. Numbers, not pass/fail.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.find((arg) => !arg.startsWith('--'));
  if (only !== undefined && !BENCHES.includes(only as BenchName))
    throw new Error(`unknown bench "${only}"; one of: ${BENCHES.join(', ')}`);
  const wants = (name: BenchName) => (only === undefined || only === name) && !args.includes(`--no-${name}`);
  const started = process.hrtime.bigint();
  // Other work on the machine moves every latency here: the load is part of the figures.
  const loadAtStart = loadavg()[0] ?? 0;
  const sections: BenchSection[] = [];
  const environment: Array<[string, string]> = [
    ['machine', `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`],
  ];

  if (wants('gate')) {
    progress('gate decisions');
    sections.push(benchGate());
    const offsets = benchZoneOffsets();
    sections.push({
      title: 'Zone offsets (the gate computes several per decision)',
      rows: [
        [
          'lambdas/compliance/zone-clock (cached per 15 min)',
          `${offsets.zoneClockPerSecond.toLocaleString('en-US')} /s`,
        ],
        ['date-fns-tz getTimezoneOffset', `${offsets.dateFnsTzPerSecond.toLocaleString('en-US')} /s`],
      ],
    });
  }
  if (wants('classifier')) {
    progress('inbound classifier');
    sections.push(benchClassifier());
  }
  if (RUNTIME_BENCHES.some(wants)) {
    progress('starting the local runtime (DynamoDB Local, fauxqs)');
    const bench = await startBenchRuntime();
    environment.push([
      'local runtime start (DynamoDB Local JVM, fauxqs, tables)',
      `${bench.startSeconds.toFixed(1)} s`,
    ]);
    // A section that fails is reported in the table and the rest still run: one engine hiccup
    // on a loaded machine must not throw away the figures already measured.
    const section = async (name: string, run: () => Promise<BenchSection>): Promise<void> => {
      try {
        sections.push(await run());
      } catch (error) {
        progress(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        sections.push({ title: `${name} (failed)`, rows: [['error', String(error).slice(0, 200)]] });
        recordFigure(`failures.${name}`, String(error).slice(0, 200));
      }
    };
    try {
      if (wants('stop')) await section('stop', () => benchStopWebhook(bench));
      let consented: ConsentBenchResult | undefined;
      if (wants('consent'))
        await section('consent', async () => {
          consented = await benchConsentAppend(bench);
          return { title: consented.title, rows: consented.rows };
        });
      if (wants('pipeline')) await section('pipeline', () => benchPipeline(bench, { contacts: consented }));
      if (wants('sweep')) await section('sweep', () => benchSweep(bench));
      if (wants('fallback')) await section('fallback', () => benchFallbackCapture(bench));
      // Last: it moves the clock a year.
      if (wants('lookup')) await section('lookup', () => benchLookups(bench));
    } finally {
      await bench.runtime.stop();
    }
  }
  if (wants('bundles')) {
    progress('synthesizing the stack for bundle sizes (skip with --no-bundles)');
    sections.push(benchBundles());
  }
  if (wants('console')) {
    progress('building the web console');
    sections.push(benchConsole());
  }

  environment.push([
    'load average (1 min) at start / end',
    `${loadAtStart.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)}`,
  ]);
  environment.push(['whole bench', `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)} s`]);
  sections.push({ title: 'Environment', rows: environment });
  for (const [name, value] of environment) recordFigure(`environment.${environmentKey(name)}`, value);
  process.stdout.write(`${markdownTable(sections)}\n`);
  // Next to the table: the same figures for machines (CI, the README, comparisons between runs).
  writeFigures(BENCH_JSON);
  progress(`figures written to ${BENCH_JSON}`);
}

const BENCH_JSON = 'bench.json';

/** `load average (1 min) at start / end` → `loadAverage1MinAtStartEnd`. */
function environmentKey(name: string): string {
  const words = name
    .replace(/\(.*?\)/g, ' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words
    .map((word, i) => (i === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
