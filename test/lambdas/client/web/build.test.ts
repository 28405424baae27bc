import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONSOLE_JS_BUDGET_BYTES,
  consoleAssetSizes,
  consoleBuildIsStale,
  ensureConsoleBuilt,
} from '../../../../lambdas/client/web/build';

// XML namespace names are identifiers that no browser fetches.
const NAMESPACES = new Set([
  'http://www.w3.org/1998/Math/MathML',
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/2000/svg',
]);

describe('the built console', () => {
  let dist: string;
  beforeAll(() => {
    dist = ensureConsoleBuilt();
  }, 120_000);

  test('is up to date with its sources after ensureConsoleBuilt', () => {
    expect(consoleBuildIsStale()).toBe(false);
  });

  test('loads at most 150 KB of JavaScript, gzipped', () => {
    const js = consoleAssetSizes(dist).filter(({ file }) => file.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    expect(js.reduce((sum, { gzipBytes }) => sum + gzipBytes, 0)).toBeLessThanOrEqual(
      CONSOLE_JS_BUDGET_BYTES,
    );
  });

  test('has no inline script and loads nothing from another origin', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.filter((url) => !/^(\/assets\/|data:)/.test(url ?? ''))).toEqual([]);
    expect(html).toContain("script-src 'self'");
    for (const { file } of consoleAssetSizes(dist)) {
      const text = readFileSync(join(dist, file), 'utf8');
      const urls = [...text.matchAll(/\bhttps?:\/\/[^\s"'`)]+/g)].map((match) => match[0]);
      expect(urls.filter((url) => !NAMESPACES.has(url))).toEqual([]);
    }
  });
});
