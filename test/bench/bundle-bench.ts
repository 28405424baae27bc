import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BUNDLE_TARGET_BYTES, synthesizeWithBundles } from './bundle-sizes';
import type { BenchSection } from './measure';

/**
 * Issue 7: the minified bundle of every Lambda function, from a fresh `cdk synth` (esbuild,
 * no Docker) into a temporary directory; the synthesis time is part of the figure.
 */
export function benchBundles(): BenchSection {
  const outdir = mkdtempSync(path.join(tmpdir(), 'consentline-bench-bundles-'));
  try {
    const { seconds, sizes } = synthesizeWithBundles(outdir);
    const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
    const over = sizes.filter(({ bytes }) => bytes > BUNDLE_TARGET_BYTES).length;
    return {
      title: `Lambda bundles (minified index.js; synthesized in ${seconds.toFixed(1)} s)`,
      rows: [
        ...sizes.map(({ key, bytes }): [string, string] => [key, kilobytes(bytes)]),
        [
          `${sizes.length} functions: largest / median / total`,
          `${kilobytes(sizes[0]?.bytes ?? 0)} / ${kilobytes(sizes[Math.floor(sizes.length / 2)]?.bytes ?? 0)} / ${kilobytes(total)}`,
        ],
        [`over the ${BUNDLE_TARGET_BYTES / 1024} KB target`, String(over)],
      ],
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function kilobytes(bytes: number): string {
  return `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
}
