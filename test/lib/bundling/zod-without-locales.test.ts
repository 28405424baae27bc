import { buildSync } from 'esbuild';
import * as path from 'node:path';
import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { zodWithoutLocales } from '../../../lib/bundling/zod-without-locales';

const projectRoot = path.join(__dirname, '..', '..', '..');

// What the Lambda code does with zod: build schemas, parse, report issues, emit JSON Schema.
const probe = `
import { z } from 'zod';
const contact = z.strictObject({ phone: z.string().regex(/^\\+1\\d{10}$/), tags: z.array(z.enum(['buyer', 'seller'])).max(2) });
const bad = contact.safeParse({ phone: '555', tags: ['renter'], extra: 1 });
export const result = {
  ok: contact.parse({ phone: '+15551234567', tags: ['buyer'] }),
  issues: bad.error.issues,
  pretty: z.prettifyError(bad.error),
  schema: z.toJSONSchema(contact),
  hasCore: typeof z.core.$ZodType,
  locales: typeof z.locales,
};
`;

/** Bundles `contents` like a Lambda (zod aliased or not) and runs it; `result` is its export. */
function bundle<R = Record<string, unknown>>(alias: boolean, contents = probe): { code: string; result: R } {
  const { outputFiles } = buildSync({
    stdin: { contents, resolveDir: projectRoot, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    alias: alias ? { zod: zodWithoutLocales(projectRoot) } : {},
    logLevel: 'silent',
  });
  const code = outputFiles![0]!.text;
  const module = { exports: {} as { result: R } };
  runInNewContext(code, { module, exports: module.exports, require, RegExp, Object, Array, JSON, Symbol });
  return { code, result: module.exports.result };
}

describe('zodWithoutLocales', () => {
  it('bundles zod that parses, reports and converts exactly like zod itself', () => {
    // prepare
    const reference = bundle(false).result;

    // act
    const lean = bundle(true).result;

    // assess
    expect(JSON.stringify(lean.ok)).toBe(JSON.stringify(reference.ok));
    expect(JSON.stringify(lean.issues)).toBe(JSON.stringify(reference.issues));
    expect(lean.pretty).toBe(reference.pretty);
    expect(JSON.stringify(lean.schema)).toBe(JSON.stringify(reference.schema));
    expect(lean.hasCore).toBe('function');
  });

  it('leaves out the locales and most of the weight', () => {
    // act
    const full = bundle(false);
    const lean = bundle(true);

    // assess
    expect(full.result.locales).toBe('object');
    expect(lean.result.locales).toBe('undefined');
    expect(lean.code.length).toBeLessThan(full.code.length - 200 * 1024);
  });

  it('keeps every member of z but locales, for the installed zod version', () => {
    // prepare
    const expected = Object.keys(z).filter((name) => name !== 'locales');

    // act
    const { result } = bundle<string[]>(
      true,
      "import { z } from 'zod'; export const result = Object.keys(z);",
    );

    // assess
    expect([...result].sort()).toEqual([...expected].sort());
  });
});
