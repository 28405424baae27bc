import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling home, which a closed
// network refuses many times a second.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** One headless Chromium for a test file. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
}

/** Screenshots land here for a reviewer to look at; the folder is not committed. */
export const screenshotDir = join(__dirname, '..', '..', 'output', 'console');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: number };

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated
 * through the DevTools protocol, which the page's CSP does not govern, so the CSP stays strict.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: Array<Record<string, unknown>> }> } }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: String(v.id),
      impact: (v.impact as string | null) ?? null,
      help: String(v.help),
      nodes: (v.nodes as unknown[]).length,
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Waits until the first element of `locator` is visible with text matching `pattern`; fails
 * with the text it last had. The page answers after API calls, so a test waits for outcomes.
 */
export async function assertText(locator: Locator, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    const first = locator.first();
    if ((await first.count()) > 0 && (await first.isVisible())) {
      last = (await first.textContent())?.trim() ?? '';
      if (pattern.test(last)) return;
    }
    if (Date.now() > deadline) {
      throw new Error(`expected ${locator} to show ${pattern}; it showed ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
