import { ConsentLineApiError, ConsentLineConnectionError } from './errors';
import type {
  AgentCreated,
  AgentView,
  AuditMessagesQuery,
  BlackoutDeclarationInput,
  BlackoutEnded,
  BlackoutEndInput,
  BlackoutList,
  BlackoutView,
  CadenceInput,
  CadenceSaved,
  CadenceView,
  ConsentAppended,
  ConsentEventInput,
  ConsentHistoryView,
  ConsentRequestSent,
  ContactInput,
  ContactListPage,
  ContactListQuery,
  ContactMessages,
  ContactView,
  ContactWithConsent,
  EnrollmentStarted,
  ImportResult,
  ImportRowInput,
  KeyEventView,
  KeyEvents,
  KeyRevocation,
  KeyRotated,
  KeyRotation,
  LedgerVerification,
  MessageAccepted,
  MessageAuditPage,
  MessageEdited,
  MessageView,
  NewAgent,
  NewMessage,
  PhoneAudit,
  Unenrolled,
} from './types';

export type ConsentLineClientOptions = {
  /** e.g. `https://abc123.execute-api.us-east-1.amazonaws.com` or the local runtime's URL. */
  baseUrl: string;
  /** An agent's API key, or the admin key for admin routes. */
  apiKey: string;
  /** Defaults to the global `fetch`; tests and proxies pass their own. */
  fetch?: typeof fetch;
  /** Per request; 60 s by default (API Gateway itself gives up after 30 s). */
  timeoutMs?: number;
};

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type RequestOptions = { body?: unknown; query?: Record<string, string | number | undefined> };

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * A typed client of the ConsentLine HTTP API: one method per route, request and response types
 * derived from the API's own schemas. Errors: `ConsentLineApiError` when the API answers with
 * an error status, `ConsentLineConnectionError` when it does not answer usable JSON.
 *
 * @example
 * const api = createConsentLineClient({ baseUrl: process.env.CONSENTLINE_URL!, apiKey });
 * await api.contacts.put('+12125550123', { name: 'Ana', state: 'FL' });
 * const { consent } = await api.contacts.get('+12125550123');
 */
export function createConsentLineClient(options: ConsentLineClientOptions) {
  const send = sender(options);
  const call = async <T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> =>
    (await send(method, path, opts)).body as T;
  const phonePath = (phone: string, rest = '') => `/v1/contacts/${encodeURIComponent(phone)}${rest}`;
  const auditPage = (query: AuditMessagesQuery) =>
    call<MessageAuditPage>('GET', '/v1/audit/messages', { query: { ...query } });

  return {
    agents: {
      /** Admin. The API key in the answer is shown once. */
      create: (agent: NewAgent) => call<AgentCreated>('POST', '/v1/agents', { body: agent }),
      /** Every write of the agent is refused and every pending text blocked, with `reason`. */
      suspend: (agentId: string, reason: string) =>
        call<AgentView>('POST', `/v1/agents/${encodeURIComponent(agentId)}/suspend`, { body: { reason } }),
      resume: (agentId: string) =>
        call<AgentView>('POST', `/v1/agents/${encodeURIComponent(agentId)}/resume`),
      /** Admin. The new key in the answer is shown once; the old one works for `overlapHours`. */
      rotateKey: (agentId: string, rotation: KeyRotation) =>
        call<KeyRotated>('POST', `/v1/agents/${encodeURIComponent(agentId)}/keys/rotate`, { body: rotation }),
      /** Admin. Every key of the agent gets 401 from now on. */
      revokeKeys: (agentId: string, revocation: KeyRevocation) =>
        call<KeyEventView>('POST', `/v1/agents/${encodeURIComponent(agentId)}/keys/revoke`, {
          body: revocation,
        }),
      keyEvents: (agentId: string) =>
        call<KeyEvents>('GET', `/v1/agents/${encodeURIComponent(agentId)}/keys/events`),
    },
    contacts: {
      /** Creates or updates the contact's descriptive fields (never its consent). */
      put: async (
        phone: string,
        fields: ContactInput,
      ): Promise<{ contact: ContactView; created: boolean }> => {
        const reply = await send('PUT', phonePath(phone), { body: fields });
        return { contact: reply.body as ContactView, created: reply.status === 201 };
      },
      get: (phone: string) => call<ContactWithConsent>('GET', phonePath(phone)),
      /** One page of the agent's contacts with their consent; pass `nextCursor` back for the next. */
      list: (query: ContactListQuery = {}) =>
        call<ContactListPage>('GET', '/v1/contacts', { query: { ...query } }),
    },
    consent: {
      append: (phone: string, event: ConsentEventInput) =>
        call<ConsentAppended>('POST', phonePath(phone, '/consent'), { body: event }),
      history: (phone: string) => call<ConsentHistoryView>('GET', phonePath(phone, '/consent')),
      /** Sends the one manual text asking for written consent; 409 says why when it may not go. */
      request: (phone: string) => call<ConsentRequestSent>('POST', phonePath(phone, '/consent-request')),
    },
    imports: {
      /** At most 1,000 rows; each row succeeds or fails on its own. */
      create: (rows: ImportRowInput[]) => call<ImportResult>('POST', '/v1/imports', { body: { rows } }),
    },
    ledger: {
      verify: (phone: string) => call<LedgerVerification>('GET', '/v1/ledger/verify', { query: { phone } }),
    },
    messages: {
      create: (message: NewMessage) => call<MessageAccepted>('POST', '/v1/messages', { body: message }),
      get: (messageId: string) => call<MessageView>('GET', `/v1/messages/${encodeURIComponent(messageId)}`),
      /** Every message of the contact; upcoming steps carry their rendered text and predicted verdict. */
      listForContact: (phone: string) => call<ContactMessages>('GET', phonePath(phone, '/messages')),
      edit: (messageId: string, body: string) =>
        call<MessageEdited>('PUT', `/v1/messages/${encodeURIComponent(messageId)}`, { body: { body } }),
    },
    /** The API's clock: what "now" is for the server (a test clock on the local runtime). */
    time: () => call<{ now: string }>('GET', '/v1/time'),
    enroll: (phone: string) => call<EnrollmentStarted>('POST', phonePath(phone, '/enroll')),
    unenroll: (phone: string) => call<Unenrolled>('DELETE', phonePath(phone, '/enroll')),
    cadence: {
      get: () => call<CadenceView>('GET', '/v1/cadence'),
      put: (cadence: CadenceInput) => call<CadenceSaved>('PUT', '/v1/cadence', { body: cadence }),
    },
    audit: {
      /** One page of an agent's message log; pass `cursor` back until a page has none. */
      messages: auditPage,
      /** Every page in turn, fetched only as the caller asks for the next. */
      messagePages: async function* (
        query: Omit<AuditMessagesQuery, 'cursor'>,
      ): AsyncGenerator<MessageAuditPage> {
        let cursor: string | undefined;
        do {
          const page = await auditPage(cursor === undefined ? query : { ...query, cursor });
          yield page;
          cursor = page.cursor;
        } while (cursor !== undefined);
      },
      /** Admin: every consent chain and opt-out record of a phone. */
      phone: (phone: string) => call<PhoneAudit>('GET', `/v1/audit/phones/${encodeURIComponent(phone)}`),
    },
    /** Admin: state-of-emergency blackouts; automated texts to their states are held until they end. */
    blackouts: {
      /** 422 (`invalid_blackout`, `issues` naming each field) when a rule is broken; nothing is stored then. */
      declare: (blackout: BlackoutDeclarationInput) =>
        call<BlackoutView>('POST', '/v1/admin/blackouts', { body: blackout }),
      /** In force first, then those to come, then those over; `active: 'now'` keeps those in force. */
      list: (query: { active?: 'now' } = {}) =>
        call<BlackoutList>('GET', '/v1/admin/blackouts', { query: { ...query } }),
      /** Ends it from now, with a reason recorded next to the declaration (which stays); held texts are decided again. */
      end: (blackoutId: string, ending: BlackoutEndInput) =>
        call<BlackoutEnded>('POST', `/v1/admin/blackouts/${encodeURIComponent(blackoutId)}/end`, {
          body: ending,
        }),
    },
  };
}

export type ConsentLineClient = ReturnType<typeof createConsentLineClient>;

function sender(options: ConsentLineClientOptions) {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return async (
    method: Method,
    path: string,
    opts: RequestOptions,
  ): Promise<{ status: number; body: unknown }> => {
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.apiKey}`,
      accept: 'application/json',
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchFn(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ConsentLineConnectionError(`${method} ${url.origin}${url.pathname}: ${reasonOf(error)}`, {
        cause: error,
      });
    }
    const body = await jsonBody(response, method, url);
    if (!response.ok) {
      const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      throw new ConsentLineApiError(response.status, fields);
    }
    return { status: response.status, body };
  };
}

async function jsonBody(response: Response, method: Method, url: URL): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConsentLineConnectionError(
      `${method} ${url.origin}${url.pathname}: HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 120)}`,
    );
  }
}

function reasonOf(error: unknown): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (a test sandbox).
  const { name, message, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === 'TimeoutError') return 'no answer in time';
  // undici reports every network failure as "fetch failed"; the reason is in `cause`.
  const detail = [cause?.code, cause?.message].filter(Boolean).join(' ');
  if (detail !== '') return detail;
  return message ?? String(error);
}
