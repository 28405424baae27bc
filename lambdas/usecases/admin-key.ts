import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ADMIN_KEY_PREFIX = 'cl_admin_';
/** Random bytes in a generated admin key (and the least a chosen one must carry). */
export const ADMIN_KEY_BYTES = 32;
/** 32 bytes in base64url: the shortest admin key accepted anywhere. */
export const MIN_ADMIN_KEY_LENGTH = Math.ceil((ADMIN_KEY_BYTES * 4) / 3);
const PEPPER_BYTES = 32;

/** How a function recognises the admin key: its HMAC under a pepper kept in a separate secret. */
export type AdminKeyCheck = { hmac: string; pepper: string };

/** A new admin key: `cl_admin_` + 32 random bytes in base64url, printed once by `consentline admin init`. */
export function newAdminKey(): string {
  return ADMIN_KEY_PREFIX + randomBytes(ADMIN_KEY_BYTES).toString('base64url');
}

/** A new pepper for {@link adminKeyHmac}: 32 random bytes in base64url. */
export function newPepper(): string {
  return randomBytes(PEPPER_BYTES).toString('base64url');
}

/**
 * Why `key` may not be an admin key, or undefined when it may: shorter than
 * {@link MIN_ADMIN_KEY_LENGTH} characters (a demo word like `cl_admin_demo` is guessed online),
 * or one character repeated.
 */
export function weakAdminKeyProblem(key: string): string | undefined {
  const secret = key.startsWith(ADMIN_KEY_PREFIX) ? key.slice(ADMIN_KEY_PREFIX.length) : key;
  if (secret.length < MIN_ADMIN_KEY_LENGTH) {
    return `the admin key must carry at least ${ADMIN_KEY_BYTES} random bytes (${MIN_ADMIN_KEY_LENGTH} base64url characters after ${ADMIN_KEY_PREFIX}); run "consentline admin init" for one`;
  }
  if (new Set(secret).size < 8) return 'the admin key is not random (too few distinct characters)';
  return undefined;
}

/**
 * HMAC-SHA256 (hex) of the admin key under `pepper`. The secret holding it is useless without
 * the pepper, which lives in a secret of its own, so a leak of one does not allow an offline guess.
 */
export function adminKeyHmac(key: string, pepper: string): string {
  return createHmac('sha256', pepper).update(key, 'utf8').digest('hex');
}

/** The check for `key` under a fresh pepper (the local runtime, tests). */
export function adminKeyCheck(key: string, pepper = newPepper()): AdminKeyCheck {
  return { hmac: adminKeyHmac(key, pepper), pepper };
}

/** Constant-time, so response timing does not reveal how much of a guessed HMAC matched. */
export function isAdminKey(key: string, check: AdminKeyCheck | undefined): boolean {
  if (check === undefined || key.length < MIN_ADMIN_KEY_LENGTH) return false;
  const expected = Buffer.from(check.hmac.toLowerCase(), 'hex');
  const actual = Buffer.from(adminKeyHmac(key, check.pepper), 'hex');
  return expected.length === actual.length && expected.length > 0 && timingSafeEqual(expected, actual);
}
