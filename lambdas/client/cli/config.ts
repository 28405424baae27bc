import { createConsentLineClient, type ConsentLineClient } from '../client';
import { UsageError, type CliIo } from './io';

/** The global options every command accepts. */
export type GlobalOptions = { url?: string; key?: string; utc?: boolean };

/**
 * A client for the API named by `--url`/`CONSENTLINE_URL` with the key from
 * `--key`/`CONSENTLINE_KEY` (flags win). Either missing is a usage error naming both ways to set it.
 */
export function connect(globals: GlobalOptions, io: CliIo): ConsentLineClient {
  const baseUrl = globals.url ?? nonEmpty(io.env.CONSENTLINE_URL);
  const apiKey = globals.key ?? nonEmpty(io.env.CONSENTLINE_KEY);
  if (baseUrl === undefined) throw new UsageError('missing API URL: set CONSENTLINE_URL or pass --url <url>');
  if (apiKey === undefined) throw new UsageError('missing API key: set CONSENTLINE_KEY or pass --key <key>');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new UsageError(`API URL "${baseUrl}" is not a URL (expected e.g. https://api.example.com)`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`API URL "${baseUrl}" must be http(s)`);
  }
  return createConsentLineClient({ baseUrl, apiKey, ...(io.fetch ? { fetch: io.fetch } : {}) });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
