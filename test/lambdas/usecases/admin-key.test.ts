import { createHash } from 'node:crypto';
import { startLocalRuntime } from '../../../lambdas/local/runtime';
import {
  adminKeyCheck,
  adminKeyHmac,
  isAdminKey,
  MIN_ADMIN_KEY_LENGTH,
  newAdminKey,
  newPepper,
  weakAdminKeyProblem,
} from '../../../lambdas/usecases/admin-key';

describe('the admin key', () => {
  it('is generated with 32 random bytes, different every time', () => {
    // act
    const keys = [newAdminKey(), newAdminKey()];

    // assess
    for (const key of keys) {
      expect(key).toMatch(/^cl_admin_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice('cl_admin_'.length), 'base64url')).toHaveLength(32);
      expect(weakAdminKeyProblem(key)).toBeUndefined();
    }
    expect(keys[0]).not.toBe(keys[1]);
  });

  it.each(['cl_admin_demo', 'x'.repeat(MIN_ADMIN_KEY_LENGTH - 1), 'a'.repeat(64)])(
    'refuses %p as weak',
    (key) => {
      // act
      const problem = weakAdminKeyProblem(key);

      // assess
      expect(problem).toBeDefined();
    },
  );

  it('is recognised by its HMAC under the pepper, and not under another pepper or as a bare sha256', () => {
    // prepare
    const key = newAdminKey();
    const check = adminKeyCheck(key);

    // act
    const right = isAdminKey(key, check);
    const otherPepper = isAdminKey(key, { hmac: check.hmac, pepper: newPepper() });
    const bareHash = isAdminKey(key, {
      hmac: createHash('sha256').update(key).digest('hex'),
      pepper: check.pepper,
    });
    const otherKey = isAdminKey(newAdminKey(), check);

    // assess
    expect([right, otherPepper, bareHash, otherKey]).toEqual([true, false, false, false]);
    expect(check.hmac).toBe(adminKeyHmac(key, check.pepper));
    expect(check.hmac).not.toContain(key);
  });

  it('refuses a short key without hashing it, even one whose HMAC was stored', () => {
    // prepare
    const short = 'cl_admin_demo';
    const check = adminKeyCheck(short);

    // act
    const accepted = isAdminKey(short, check);

    // assess
    expect(accepted).toBe(false);
  });

  it('stops the local runtime at start-up when CONSENTLINE_ADMIN_KEY is short', async () => {
    // act
    const start = startLocalRuntime({ adminKey: 'cl_admin_demo', port: 0 });

    // assess
    await expect(start).rejects.toThrow(
      /CONSENTLINE_ADMIN_KEY: the admin key must carry at least 32 random bytes/,
    );
  });
});
