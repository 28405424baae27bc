import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { openApiDocument } from '../../lambdas/handlers/http/openapi';
import { httpRoutes } from '../../lambdas/handlers/routes';
import {
  backgroundFunctions,
  entriesDirectory,
  entryPath,
  functionKeys,
  generatedEntriesDirectory,
  streamFunctions,
} from '../../lib/function-entries';

const handwrittenKeys = () =>
  readdirSync(entriesDirectory)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length));

/** What an entry file imports: `[names, module]` per import declaration. */
const importsOf = (source: string) =>
  [...source.matchAll(/import\s+\{([^}]*)\}\s+from\s+'([^']+)'/g)].map(
    ([, names, from]) => [names!.trim(), from!] as const,
  );

describe('Lambda entry files', () => {
  it('are written by hand for the background and stream functions, and for nothing else', () => {
    // assess
    expect(handwrittenKeys().sort()).toEqual([...backgroundFunctions, ...streamFunctions].sort());
  });

  it('exist for every function the stack deploys, one per route', () => {
    // act
    const files = functionKeys().map((key) => path.basename(entryPath(key), '.ts'));

    // assess
    expect(files).toEqual(functionKeys());
    expect(functionKeys()).toEqual(expect.arrayContaining(httpRoutes.map((route) => route.key)));
  });

  it.each(
    httpRoutes.filter((route) => route.key !== 'openapi.get').map((route) => [route.key, route] as const),
  )(
    '%s imports only its own route, from the handler file that exports it, and binds its handler',
    (key, route) => {
      // act
      const file = entryPath(key);
      const source = readFileSync(file, 'utf8');
      const imports = importsOf(source);
      const [name, from] = imports.find(([names]) => names !== 'lambdaEntry')!;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module the entry names
      const exported = require(path.resolve(path.dirname(file), from)) as Record<string, unknown>;

      // assess
      expect(path.dirname(file)).toBe(generatedEntriesDirectory);
      expect(imports.map(([names]) => names).sort()).toEqual(['lambdaEntry', name].sort());
      expect(exported[name]).toBe(route);
      expect(source).toContain(`export const handler = lambdaEntry(${name}.create);`);
    },
  );

  it('openapi.get holds the document built at synth and imports no route handler', () => {
    // act
    const source = readFileSync(entryPath('openapi.get'), 'utf8');

    // assess
    expect(
      importsOf(source)
        .map(([names]) => names)
        .sort(),
    ).toEqual(['lambdaEntry', 'openApiRoute']);
    expect(source).toContain(JSON.stringify(openApiDocument(httpRoutes)));
  });

  it.each(httpRoutes.map((route) => route.key))('%s loads and exports a Lambda handler', (key) => {
    // act
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry as Lambda loads it
    const entry = require(entryPath(key)) as { handler?: unknown };

    // assess
    expect(typeof entry.handler).toBe('function');
  });

  it.each([...backgroundFunctions])('%s wraps its factory with lambdaEntry', (key) => {
    // prepare
    const factories: Record<string, string> = {
      'send-worker': 'createSendWorkerHandler',
      sweep: 'createSweepHandler',
      'release-reconciler': 'createReleaseReconcilerHandler',
      'sms-fallback-processor': 'createSmsFallbackProcessor',
    };

    // act
    const source = readFileSync(path.join(entriesDirectory, `${key}.ts`), 'utf8');

    // assess
    expect(source).toContain(`export const handler = lambdaEntry(${factories[key]});`);
  });
});
