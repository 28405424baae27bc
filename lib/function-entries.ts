import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openApiDocument } from '../lambdas/handlers/http/openapi';
import type { Route } from '../lambdas/handlers/route';
import { httpRoutes, openApiGetRoute, type RouteKey } from '../lambdas/handlers/routes';

/** Functions that no HTTP route reaches: the send queue's consumer, the due-drip sweep, the release reconciler. */
export const backgroundFunctions = [
  'send-worker',
  'sweep',
  'release-reconciler',
  'sms-fallback-processor',
] as const;
export type BackgroundFunction = (typeof backgroundFunctions)[number];

/** Stream consumers: plain handlers with no app dependencies (no secret, no table beyond their stream). */
export const streamFunctions = ['append-only-watch'] as const;
export type StreamFunction = (typeof streamFunctions)[number];

/** Every function's key: one per route, then the background and stream functions. */
export type FunctionKey = RouteKey | BackgroundFunction | StreamFunction;

const projectRoot = path.join(__dirname, '..');
const handlersDirectory = path.join(projectRoot, 'lambdas', 'handlers');

/** The entry files of the background and stream functions: one `<key>.ts` each, written by hand. */
export const entriesDirectory = path.join(handlersDirectory, 'aws', 'entries');

/**
 * Where the routes' entry files are written at synth (ignored by git): one `<key>.ts` per route,
 * importing only its own handler file, so each function bundles its route and not the others.
 */
export const generatedEntriesDirectory = path.join(projectRoot, '.build', 'entries');

/** The handler directories whose files export routes. */
const routeDirectories = ['http', 'twilio'].map((name) => path.join(handlersDirectory, name));

/**
 * The entry file of a function key: for a route, written now from the route list (see
 * {@link routeEntrySource}); for a background or stream function, `…/aws/entries/<key>.ts`.
 */
export function entryPath(key: string): string {
  const route = httpRoutes.find((candidate) => candidate.key === key);
  if (route === undefined) return path.join(entriesDirectory, `${key}.ts`);
  const file = path.join(generatedEntriesDirectory, `${key}.ts`);
  writeIfChanged(file, routeEntrySource(route));
  return file;
}

/**
 * The source of a route's Lambda entry: production `Deps` (per cold start, rebuilt when a secret
 * rotates) bound to the route's handler, imported from the handler file that exports it. The
 * OpenAPI route's document is built here, at synth, so its function bundles no handler at all.
 */
export function routeEntrySource(route: Route): string {
  const from = (file: string) => {
    const relative = path.relative(generatedEntriesDirectory, file).split(path.sep).join('/');
    return relative.replace(/\.ts$/, '');
  };
  const lines = [
    `// Written at synth from the route list (lambdas/handlers/routes.ts): the Lambda entry of ${route.key}.`,
    `import { lambdaEntry } from '${from(path.join(handlersDirectory, 'aws', 'deps.ts'))}';`,
  ];
  if (route === openApiGetRoute) {
    lines.push(
      `import { openApiRoute } from '${from(path.join(handlersDirectory, 'http', 'openapi-route.ts'))}';`,
      '',
      `const document: Record<string, unknown> = ${JSON.stringify(openApiDocument(httpRoutes))};`,
      '',
      `export const handler = lambdaEntry(openApiRoute(${JSON.stringify(route.key)}, () => document).create);`,
    );
  } else {
    const { file, name } = exportOf(route);
    lines.push(
      `import { ${name} } from '${from(file)}';`,
      '',
      `export const handler = lambdaEntry(${name}.create);`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Every function the stack deploys: one per route of the list, then the background and stream
 * functions.
 */
export function functionKeys(): string[] {
  return [...httpRoutes.map((route) => route.key), ...backgroundFunctions, ...streamFunctions];
}

let exported: Map<Route, { file: string; name: string }> | undefined;

/** The handler file and export name of a route, found among the route directories' exports. */
function exportOf(route: Route): { file: string; name: string } {
  if (exported === undefined) {
    exported = new Map();
    for (const directory of routeDirectories) {
      for (const entry of readdirSync(directory)
        .filter((name) => name.endsWith('.ts'))
        .sort()) {
        const file = path.join(directory, entry);
        // The handler files are loaded already (the route list imports them): this reads their exports.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exports = require(file) as Record<string, unknown>;
        for (const [name, value] of Object.entries(exports)) {
          const listed = httpRoutes.find((candidate) => candidate === value);
          if (listed !== undefined && !exported.has(listed)) exported.set(listed, { file, name });
        }
      }
    }
  }
  const found = exported.get(route);
  if (found === undefined) {
    throw new Error(`route ${route.key} is exported by no file in lambdas/handlers/{http,twilio}`);
  }
  return found;
}

/** Writes `content` unless the file holds it already; through a rename, so a parallel synth never reads half a file. */
function writeIfChanged(file: string, content: string): void {
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}
