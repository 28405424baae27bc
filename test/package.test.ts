import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('the locked dependency tree', () => {
  // `npm ci` warns (EBADENGINE) for every package whose `engines.node` the running Node misses.
  const oldest = semver.minVersion(manifest.engines.node)!.version;

  it.each([
    ['the oldest Node the project supports', oldest],
    ['the Node running the tests', process.versions.node],
  ])('installs on %s (%s) without an engine warning', (_label, node) => {
    // act
    const refused = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return wanted !== undefined && !semver.satisfies(node, wanted, { includePrerelease: true })
          ? [`${path}@${entry.version} wants node ${wanted}`]
          : [];
      });

    // assess
    expect(refused).toEqual([]);
  });
});
