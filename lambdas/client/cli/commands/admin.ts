import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { adminKeyHmac, newAdminKey, newPepper } from '../../../usecases/admin-key';
import { action, type CliContext } from '../context';
import { UsageError, write, writeJson } from '../io';
import { registerBlackouts } from './blackouts';

type InitOptions = { pepperFile?: string; json?: boolean };

/**
 * `admin init`: a new admin key, printed once, and what to store for it (offline; no API call);
 * `admin blackouts …`: state-of-emergency blackouts (admin key).
 */
export function registerAdmin(program: Command, ctx: CliContext): void {
  const admin = program
    .command('admin')
    .description('the admin key (init, offline) and state-of-emergency blackouts');
  registerBlackouts(admin, ctx);

  admin
    .command('init')
    .description('generate an admin key (32 random bytes, printed once) and the HMAC to store for it')
    .option(
      '--pepper-file <path>',
      'the pepper the stack generated (its AdminPepperSecret, JSON {"pepper": …} or the bare value); a new pepper is made without it',
    )
    .option('--json', 'print key, HMAC and pepper as JSON')
    .action(
      action(ctx, async (opts: InitOptions) => {
        const generatedPepper = opts.pepperFile === undefined;
        const pepper = generatedPepper ? newPepper() : await readPepper(opts.pepperFile as string);
        const key = newAdminKey();
        const adminSecret = { adminKeyHmac: adminKeyHmac(key, pepper) };
        if (opts.json) return writeJson(ctx.io.stdout, { adminKey: key, ...adminSecret, pepper });
        await write(
          ctx.io.stdout,
          [
            `admin key      ${key}`,
            '(the key is shown only now; store it in a password manager, never in the secret)',
            `admin secret   ${JSON.stringify(adminSecret)}   → the stack's AdminSecret`,
            generatedPepper
              ? `pepper secret  ${JSON.stringify({ pepper })}   → the stack's AdminPepperSecret (a new pepper)`
              : 'pepper         the one in --pepper-file (unchanged)',
            '',
          ].join('\n'),
        );
      }),
    );
}

async function readPepper(path: string): Promise<string> {
  const text = (await readFile(path, 'utf8')).trim();
  let pepper = text;
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as { pepper?: unknown };
    if (typeof parsed.pepper !== 'string') throw new UsageError(`${path}: expected {"pepper": "…"}`);
    pepper = parsed.pepper;
  }
  if (pepper.length < 32) throw new UsageError(`${path}: the pepper must be at least 32 characters`);
  return pepper;
}
