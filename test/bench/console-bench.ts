import { buildConsole, CONSOLE_JS_BUDGET_BYTES, consoleAssetSizes } from '../../lambdas/client/web/build';
import type { BenchSection } from './measure';

/** The web console's static files from a fresh build: what a browser downloads, gzipped. */
export function benchConsole(): BenchSection {
  const started = process.hrtime.bigint();
  buildConsole();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const assets = consoleAssetSizes();
  const js = assets.filter(({ file }) => file.endsWith('.js'));
  const jsGzip = js.reduce((sum, { gzipBytes }) => sum + gzipBytes, 0);
  const all = assets.reduce((sum, { gzipBytes }) => sum + gzipBytes, 0);
  return {
    title: `Web console (Vite build in ${seconds.toFixed(1)} s; sizes as stored / gzipped)`,
    rows: [
      ...assets.map(({ file, bytes, gzipBytes }): [string, string] => [
        file,
        `${kb(bytes)} / ${kb(gzipBytes)}`,
      ]),
      [`JavaScript gzipped (budget ${kb(CONSOLE_JS_BUDGET_BYTES)})`, kb(jsGzip)],
      ['everything a first visit downloads, gzipped', kb(all)],
    ],
  };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
