import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

/** Builds the console with Vite (`npm run build:web`). Throws with Vite's output when it fails. */
export function buildConsole(): void {
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(consoleDir, 'vite.config.mts')],
    {
      cwd: resolve(consoleDir, '..', '..', '..'),
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    throw new Error(`console build failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Builds the console when its static files are missing or outdated; returns their folder. */
export function ensureConsoleBuilt(): string {
  if (consoleBuildIsStale()) buildConsole();
  return consoleDist;
}

if (require.main === module) buildConsole();
