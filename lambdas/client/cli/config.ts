import { createConsentLineClient, type ConsentLineClient } from '../client';
import { UsageError, type CliIo } from './io';

/** The global options every command accepts. */
export type GlobalOptions = { url?: string; key?: string };

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
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    // Not refused (a lab network may need it), but the key would cross the network in clear.
    io.stderr.write(
      `warning: ${parsed.host} is reached over plain http://; the API key is sent unencrypted (use https://)\n`,
    );
  }
  return createConsentLineClient({ baseUrl, apiKey, ...(io.fetch ? { fetch: io.fetch } : {}) });
}

/** localhost, 127.0.0.0/8 and ::1: plain http never leaves the machine. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
