import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../../../lambdas/client/cli/config';
import { adminKeyHmac } from '../../../../lambdas/usecases/admin-key';
import { capture, runCli } from '../../../bin/cli-run';

const run = (argv: string[]) => runCli(argv, {});

describe('consentline admin init', () => {
  it('prints a generated 32-byte key once with the HMAC to store under a new pepper', async () => {
    // act
    const first = await run(['admin', 'init', '--json']);
    const second = await run(['admin', 'init', '--json']);

    // assess
    expect(first.code).toBe(0);
    const { adminKey, adminKeyHmac: hmac, pepper } = JSON.parse(first.stdout) as Record<string, string>;
    expect(adminKey).toMatch(/^cl_admin_[A-Za-z0-9_-]{43}$/);
    expect(hmac).toBe(adminKeyHmac(adminKey!, pepper!));
    expect(JSON.parse(second.stdout).adminKey).not.toBe(adminKey);
  });

  it("uses the stack's pepper from --pepper-file", async () => {
    // prepare
    const dir = await mkdtemp(join(tmpdir(), 'consentline-pepper-'));
    const file = join(dir, 'pepper.json');
    const pepper = 'p'.repeat(20) + 'QWERTYUIOPASDFGHJKL';
    await writeFile(file, JSON.stringify({ pepper }));

    // act
    const reply = await run(['admin', 'init', '--pepper-file', file]).finally(() =>
      rm(dir, { recursive: true, force: true }),
    );

    // assess
    expect(reply.code).toBe(0);
    const key = /admin key\s+(\S+)/.exec(reply.stdout)?.[1] ?? '';
    expect(reply.stdout).toContain(JSON.stringify({ adminKeyHmac: adminKeyHmac(key, pepper) }));
    expect(reply.stdout).not.toContain(pepper);
  });
});

describe('the CLI over plain http', () => {
  it.each([
    ['http://api.example.com', true],
    ['http://10.0.0.5:3000', true],
    ['http://127.0.0.1:3000', false],
    ['http://localhost:3000', false],
    ['http://[::1]:3000', false],
    ['https://api.example.com', false],
  ])('%s warns: %p', (url, warns) => {
    // prepare
    const stderr = capture();

    // act
    connect({ url, key: 'k' }, { stdout: capture().stream, stderr: stderr.stream, env: {} });

    // assess
    expect(stderr.text().includes('plain http://')).toBe(warns);
  });
});
