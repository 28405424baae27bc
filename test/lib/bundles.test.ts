import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { functionKeys } from '../../lib/function-entries';
import { bundledSources, synthesizeWithBundles, type BundleSize } from '../bench/bundle-sizes';

// Bundling every function takes a while: once for the whole file.
const BUNDLING_TIMEOUT_MS = 240_000;

let outdir: string;
let sizes: BundleSize[];

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'consentline-bundles-'));
  sizes = synthesizeWithBundles(outdir).sizes;
}, BUNDLING_TIMEOUT_MS);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('exist for every function, minified with a source map', () => {
    // act
    const keys = sizes.map((size) => size.key);

    // assess
    expect(keys.sort()).toEqual(functionKeys().sort());
    for (const { directory } of sizes) expect(bundledSources(directory).length).toBeGreaterThan(0);
  });

  it("hold no Twilio REST client: at most the SDK's webhook signature module", () => {
    for (const { key, directory } of sizes) {
      // act
      const code = readFileSync(path.join(directory, 'index.js'), 'utf8');
      const twilioSources = bundledSources(directory).filter((source) =>
        /node_modules\/twilio\//.test(source),
      );

      // assess
      expect([key, code.includes('twilio/lib/rest')]).toEqual([key, false]);
      expect([key, twilioSources.filter((source) => !/twilio\/lib\/webhooks\//.test(source))]).toEqual([
        key,
        [],
      ]);
    }
  });

  it('leave the AWS SDK to the Lambda runtime but bundle Powertools', () => {
    // prepare
    const worker = sizes.find((size) => size.key === 'send-worker')!;

    // act
    const sources = bundledSources(worker.directory);

    // assess
    expect(sources.filter((source) => source.includes('node_modules/@aws-sdk/'))).toEqual([]);
    expect(sources.some((source) => source.includes('node_modules/@aws-lambda-powertools/'))).toBe(true);
  });

  it("leave out zod's locales", () => {
    for (const { key, directory } of sizes) {
      // act
      const locales = bundledSources(directory).filter((source) =>
        /zod\/v4\/locales\/(?!en\.js)/.test(source),
      );

      // assess
      expect([key, locales]).toEqual([key, []]);
    }
  });
});
