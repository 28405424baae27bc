import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConsentLineStack } from '../../lib/consentline-stack';
import { printTable } from './measure';

/** The target for one minified bundle (a cold start loads the whole file). */
export const BUNDLE_TARGET_BYTES = 400 * 1024;

/** One function's bundle in a cloud assembly. */
export type BundleSize = {
  /** Function key, e.g. `agents.create` (from the function's description `ConsentLine <key>`). */
  key: string;
  /** Size of the minified `index.js`. */
  bytes: number;
  /** The asset directory holding `index.js` and `index.js.map`. */
  directory: string;
};

type FunctionResource = { Type: string; Properties: { Description?: string; Code?: { S3Key?: string } } };

/**
 * The bundle of every ConsentLine function in a synthesized cloud assembly (`cdk.out` after
 * `npx cdk synth`), largest first. Functions are matched to their asset through the code's S3 key,
 * which is the asset hash.
 */
export function bundleSizes(assemblyDirectory: string, stackName = 'ConsentLine'): BundleSize[] {
  const template = JSON.parse(
    readFileSync(path.join(assemblyDirectory, `${stackName}.template.json`), 'utf8'),
  ) as { Resources: Record<string, FunctionResource> };
  const sizes: BundleSize[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = resource.Properties.Description?.replace(/^ConsentLine /, '');
    const hash = resource.Properties.Code?.S3Key?.replace(/\.zip$/, '');
    if (key === undefined || hash === undefined) continue;
    const directory = path.join(assemblyDirectory, `asset.${hash}`);
    const bundle = path.join(directory, 'index.js');
    if (!existsSync(bundle)) throw new Error(`${key}: no bundle at ${bundle} (was bundling skipped?)`);
    sizes.push({ key, bytes: statSync(bundle).size, directory });
  }
  return sizes.sort((a, b) => b.bytes - a.bytes);
}

/** The source files esbuild put into a bundle, from its source map (minified code names none). */
export function bundledSources(directory: string): string[] {
  const map = JSON.parse(readFileSync(path.join(directory, 'index.js.map'), 'utf8')) as { sources: string[] };
  return map.sources;
}

/** Synthesizes the stack with its bundles into `outdir` and says how long it took. */
export function synthesizeWithBundles(outdir: string): { seconds: number; sizes: BundleSize[] } {
  const started = process.hrtime.bigint();
  const app = new App({ outdir });
  new ConsentLineStack(app, 'ConsentLine');
  app.synth();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, sizes: bundleSizes(outdir) };
}

/** `tsx test/bench/bundle-sizes.ts [cdk.out]`: prints function → KB (synthesizing first when no assembly is given). */
export function benchBundleSizes(assemblyDirectory?: string): void {
  let sizes: BundleSize[];
  let title = 'Lambda bundles (minified index.js)';
  if (assemblyDirectory === undefined) {
    const outdir = mkdtempSync(path.join(tmpdir(), 'consentline-bundles-'));
    try {
      const synthesized = synthesizeWithBundles(outdir);
      sizes = synthesized.sizes;
      title += `, synthesized in ${synthesized.seconds.toFixed(1)} s`;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  } else {
    sizes = bundleSizes(assemblyDirectory);
  }
  printTable(
    title,
    sizes.map(({ key, bytes }) => [
      key,
      `${(bytes / 1024).toFixed(0).padStart(5)} KB${bytes > BUNDLE_TARGET_BYTES ? '  over the 400 KB target' : ''}`,
    ]),
  );
}

if (require.main === module) benchBundleSizes(process.argv[2]);
