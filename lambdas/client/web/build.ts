import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where the console's sources and its built static files are. */
export const consoleDir = resolve(__dirname);
export const consoleDist = join(consoleDir, 'dist');

// What the build reads besides src/: the shared client and the data it bundles.
const inputs = [
  join(consoleDir, 'src'),
  join(consoleDir, 'index.html'),
  join(consoleDir, 'vite.config.mts'),
  resolve(consoleDir, '..', 'client.ts'),
  resolve(consoleDir, '..', 'errors.ts'),
  resolve(consoleDir, '..', '..', 'rules', 'data', 'consent.json'),
];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/** Whether `dist/` is missing or older than any of its sources. */
export function consoleBuildIsStale(): boolean {
  const built = join(consoleDist, 'index.html');
  if (!existsSync(built)) return true;
  return Math.max(...inputs.map(newest)) > statSync(built).mtimeMs;
}

/**
 * Builds the console with Vite (`npm run build:web`) into `outDir` (`dist/` by default; the
 * CDK asset bundling passes its own). Throws with Vite's output when it fails.
 */
export function buildConsole(outDir: string = consoleDist): void {
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [
    vite,
    'build',
    '--config',
    join(consoleDir, 'vite.config.mts'),
    '--outDir',
    outDir,
    '--emptyOutDir',
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: resolve(consoleDir, '..', '..', '..'),
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`console build failed:\n${result.stdout}\n${result.stderr}`);
  }
}

const LOCK_STALE_MS = 5 * 60_000;

/**
 * Builds the console when its static files are missing or outdated; returns their folder.
 * Test files run in parallel workers: a lock directory makes one of them build while the
 * others wait for it, so none reads a half-written `dist/`.
 */
export function ensureConsoleBuilt(): string {
  const lock = join(consoleDir, '.build-lock');
  for (;;) {
    if (!consoleBuildIsStale()) return consoleDist;
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building; a lock left by a killed build is taken over once old.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      if (consoleBuildIsStale()) buildConsole();
      return consoleDist;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

if (require.main === module) buildConsole();

/** The most JavaScript the console may make a browser load, gzipped. */
export const CONSOLE_JS_BUDGET_BYTES = 150 * 1024;

export type ConsoleAsset = { file: string; bytes: number; gzipBytes: number };

/** Every built asset with its size as stored and as sent gzipped (level 9, as CloudFront or nginx would). */
export function consoleAssetSizes(dist = consoleDist): ConsoleAsset[] {
  const files = ['index.html', ...readdirSync(join(dist, 'assets')).map((name) => join('assets', name))];
  return files.map((file) => {
    const content = readFileSync(join(dist, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
}
