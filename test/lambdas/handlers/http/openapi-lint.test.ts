import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openApiDocument } from '../../../../lambdas/handlers/http/openapi';
import { httpRoutes } from '../../../../lambdas/handlers/routes';

const run = promisify(execFile);

// Redocly's strictest built-in ruleset; telemetry off so the lint needs no network (CI has none).
const config = ['extends:', '  - recommended-strict', 'telemetry: off', ''].join('\n');

type LintReport = {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
};

async function lint(document: Record<string, unknown>): Promise<LintReport> {
  const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  try {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
    await writeFile(join(dir, 'redocly.yaml'), config);
    const cli = require.resolve('@redocly/cli/bin/cli.js');
    const { stdout } = await run(
      process.execPath,
      [cli, 'lint', '--config', 'redocly.yaml', '--format', 'json', 'openapi.json'],
      {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        timeout: 60_000,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return JSON.parse(stdout) as LintReport;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the OpenAPI document under `redocly lint` (recommended-strict)', () => {
  it('has no errors and no warnings', async () => {
    // act
    const report = await lint(openApiDocument(httpRoutes, { serverUrl: 'https://api.test' }));

    // assess
    const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toEqual(expect.objectContaining({ errors: 0, warnings: 0 }));
  });

  it('reports a document that breaks a rule, so a clean result means something', async () => {
    // prepare
    const document = openApiDocument(httpRoutes, { serverUrl: 'https://api.test' });
    const broken = { ...document, info: { version: '1' } };

    // act
    const report = await lint(broken);

    // assess
    expect(report.totals.errors).toBeGreaterThan(0);
    expect(report.problems.map((p) => p.ruleId)).toContain('struct');
  });
});
