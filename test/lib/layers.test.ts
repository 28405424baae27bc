import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Every import specifier of the TypeScript files below `dir`, with the file it is in. */
function importsUnder(dir: string): { file: string; from: string }[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const text = readFileSync(join(ROOT, dir, file), 'utf8');
      return [...text.matchAll(/^(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((match) => ({
        file: join(dir, file),
        from: match[1]!,
      }));
    });
}

describe('layers', () => {
  it('keeps the infrastructure off the local runtime: nothing in lib/ or bin/ imports lambdas/local', () => {
    // prepare
    const imports = [...importsUnder('lib'), ...importsUnder('bin')];

    // act
    const local = imports.filter(({ from }) => /lambdas\/local(\/|$)/.test(from));

    // assess
    expect(imports.length).toBeGreaterThan(0);
    expect(local).toStrictEqual([]);
  });

  it('keeps the core pure: lambdas/compliance imports no adapter, use case, handler or runtime', () => {
    // prepare
    const imports = importsUnder('lambdas/compliance');

    // act
    const outward = imports.filter(({ from }) =>
      /\.\.\/(adapters|usecases|handlers|local|client)(\/|$)/.test(from),
    );

    // assess
    expect(imports.length).toBeGreaterThan(0);
    expect(outward).toStrictEqual([]);
  });
});
