import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The bench's figures as one nested object, e.g. `{ stop: { p99: 19.3 } }`. */
type Figures = { [key: string]: number | string | Figures };

const figures: Figures = {};

/**
 * Records one figure for `bench.json` under a dotted path (`stop.p99`, `gate.productionPerSecond`):
 * every section adds its own keys, nothing else needs to know about them.
 *
 * @example
 * recordFigure('classifier.perSecond', 1_250_000);
 */
export function recordFigure(path: string, value: number | string): void {
  const keys = path.split('.');
  if (keys.some((key) => key === '')) throw new Error(`recordFigure: "${path}" is not a dotted path`);
  let node = figures;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object') node[key] = {};
    node = node[key] as Figures;
  }
  node[keys.at(-1)!] = typeof value === 'number' ? round(value) : value;
}

/**
 * Writes the recorded figures to `file`, over the sections of an earlier run that this run did
 * not measure (`npm run bench -- gate` updates `gate.*` and keeps the rest); only this run's
 * failures are listed.
 */
export function writeFigures(file: string): void {
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Figures) : {};
  // A failure is news of the run that met it: kept, it would outlive the fix that ended it.
  const { failures: _earlierFailures, ...kept } = earlier;
  writeFileSync(file, `${JSON.stringify({ ...kept, ...figures }, null, 2)}\n`);
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}
