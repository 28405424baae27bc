import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { httpHandlers } from '../../lambdas/handlers/routes';
import { backgroundFunctions, entriesDirectory, entryPath, functionKeys } from '../../lib/function-entries';

const entryFileKeys = () =>
  readdirSync(entriesDirectory)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length));

describe('Lambda entry files', () => {
  it('exist for every HTTP handler key and background function', () => {
    // act
    const missing = functionKeys().filter((key) => !entryFileKeys().includes(key));

    // assess
    expect(missing).toEqual([]);
  });

  it('exist for nothing else', () => {
    // act
    const stale = entryFileKeys().filter((key) => !functionKeys().includes(key));

    // assess
    expect(stale).toEqual([]);
  });

  it.each(Object.entries(httpHandlers))(
    "%s wraps exactly its handler factory and imports nothing else of the app's handlers",
    (key, factory) => {
      // act
      const source = readFileSync(entryPath(key), 'utf8');
      const imports = [...source.matchAll(/import\s+\{([^}]*)\}\s+from\s+'([^']+)'/g)];

      // assess
      expect(source).toContain(`export const handler = lambdaEntry(${factory.name});`);
      expect(imports.map(([, names]) => names!.trim()).sort()).toEqual([factory.name, 'lambdaEntry'].sort());
      expect(imports.some(([, , from]) => from === '../deps')).toBe(true);
    },
  );

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
