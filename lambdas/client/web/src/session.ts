import { createConsentLineClient, type ConsentLineClient } from '../..';

/** Who is signed in: the key lives in this tab's sessionStorage only, never in a URL or a cookie. */
export type Session = { apiKey: string; role: 'agent' | 'admin' };

const STORAGE_KEY = 'consentline.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.apiKey !== 'string' || (parsed.role !== 'agent' && parsed.role !== 'admin'))
      return undefined;
    return { apiKey: parsed.apiKey, role: parsed.role };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The typed API client for this origin: the console and the API share one origin (`/v1/*`). */
export function apiFor(apiKey: string): ConsentLineClient {
  return createConsentLineClient({ baseUrl: location.origin, apiKey, timeoutMs: 30_000 });
}
