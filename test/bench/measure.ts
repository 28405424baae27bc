/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns calls per second. */
export function callsPerSecond(fn: (i: number) => unknown, ms = 1500): number {
  for (let i = 0; i < 2000; i++) fn(i);
  let calls = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++) fn(calls + i);
    calls += 1000;
    elapsed = process.hrtime.bigint() - start;
  }
  return calls / (Number(elapsed) / 1e9);
}

/**
 * Calls per second of each function, measured in alternating rounds (A B A B …) so every one
 * sees the same machine load; the best round of each is kept (warm JIT, least disturbed).
 */
export function interleavedCallsPerSecond(
  fns: ReadonlyArray<(i: number) => unknown>,
  rounds = 6,
  msPerRound = 400,
): number[] {
  const best = fns.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    fns.forEach((fn, index) => {
      best[index] = Math.max(best[index]!, callsPerSecond(fn, msPerRound));
    });
  }
  return best;
}

/** p50/p99 in milliseconds of a list of durations. */
export function percentiles(durationsMs: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), n: sorted.length };
}

export function printTable(title: string, rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${title}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
}

/** One part of the final table: a title and its figures. */
export type BenchSection = { title: string; rows: Array<[string, string]> };

/** Every section as one markdown table (section titles as bold rows), for stdout and the README. */
export function markdownTable(sections: BenchSection[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const lines = ['| measure | value |', '| --- | --- |'];
  for (const { title, rows } of sections) {
    lines.push(`| **${escape(title)}** | |`);
    for (const [name, value] of rows) lines.push(`| ${escape(name)} | ${escape(value)} |`);
  }
  return lines.join('\n');
}

/** `12.3 / 45.6 ms` (one decimal for milliseconds, two for ratios). */
export function pair(a: number, b: number, unit: string): string {
  const digits = unit === 'ms' ? 1 : 2;
  return `${a.toFixed(digits)} / ${b.toFixed(digits)} ${unit}`;
}

/** An integer as is, anything else with one decimal. */
export function fmt(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}

/** `3.5 RCU + 6.0 WCU`: capacity units per unit of work. */
export function capacity(read: number, write: number, per: number): string {
  return `${(read / per).toFixed(1)} RCU + ${(write / per).toFixed(1)} WCU`;
}
