import { createHash, randomBytes } from 'node:crypto';

const API_KEY_PREFIX = 'cl_live_';
// 32 random bytes: 256 bits, so a key cannot be guessed and a fast hash is enough to store it.
const API_KEY_BYTES = 32;

/**
 * A new agent API key: `cl_live_` + 32 random bytes in base64url. It is shown once; only
 * {@link hashApiKey} of it is stored.
 */
export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(API_KEY_BYTES).toString('base64url');
}

/** sha256 hex of an API key: what the agents table indexes and the admin key hash is compared with. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
