import type { IncomingMessage, ServerResponse } from 'node:http';
import { twilioNumberLookup } from '../adapters/twilio/number-lookup';
import type { Clock, NumberLookup } from '../ports';

/** How a declared phone's lookups fail, to test the held-and-retried path. */
export type LookupFailureMode = 'timeout' | 'http_500' | 'unparsable';

/** What a test declares about a phone; anything not declared is a mobile number never reassigned. */
export type DeclaredNumber = { reassignedAt?: Date; lineType?: string; failing?: LookupFailureMode };

export type LookupStandIn = {
  declare(phone: string, facts: DeclaredNumber): void;
  /** Answers Twilio-shaped requests in-process, for tests that run no HTTP server. */
  fetch: typeof globalThis.fetch;
  /** Serves `GET /v2/PhoneNumbers/{phone}` on the local runtime's server; false if not its path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Billable package requests served so far (Twilio charges per package per request). */
  calls: { reassigned: number; lineType: number };
};

const PATH = /^\/v2\/PhoneNumbers\/([^/]+)$/;
const DAY_MS = 86_400_000;

type Answer = { status: number; body: string } | 'hang';

/**
 * Twilio Lookup v2 as documented (https://www.twilio.com/docs/lookup/v2-api), including what
 * makes callers' lives harder:
 * - HTTP Basic auth with the account's credentials, else 401 with error 20003;
 * - `reassigned_number` needs `LastVerifiedDate` as YYYYMMDD, else 400
 *   (https://www.twilio.com/docs/lookup/v2-api/reassigned-number); it covers US numbers only, so
 *   another country answers `is_number_reassigned: null` with an `error_code`;
 * - the answer says only "reassigned since that date" (`yes`/`no`), never when;
 * - a declared failure hangs until the caller gives up, answers 500, or sends a body that is
 *   not JSON — the three ways a check fails in production.
 */
export function createLookupStandIn(options: {
  clock: Clock;
  accountSid: string;
  authToken: string;
}): LookupStandIn {
  const declared = new Map<string, DeclaredNumber>();
  const calls = { reassigned: 0, lineType: 0 };
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  function answer(url: URL, authorization: string | undefined): Answer {
    const match = PATH.exec(url.pathname);
    if (match === null) return twilioError(404, 20404, 'The requested resource was not found');
    if (authorization !== expectedAuth) return twilioError(401, 20003, 'Authenticate');
    const phone = decodeURIComponent(match[1]!);
    const facts = declared.get(phone) ?? {};
    const fields = (url.searchParams.get('Fields') ?? '').split(',').filter(Boolean);
    const body: Record<string, unknown> = {
      calling_country_code: '1',
      country_code: phone.startsWith('+1') ? 'US' : null,
      phone_number: phone,
      valid: /^\+1[2-9]\d{9}$/.test(phone),
      validation_errors: [],
      line_type_intelligence: null,
      reassigned_number: null,
    };
    if (fields.includes('reassigned_number')) {
      const lastVerified = url.searchParams.get('LastVerifiedDate') ?? '';
      if (!/^\d{8}$/.test(lastVerified)) return twilioError(400, 60617, 'LastVerifiedDate must be YYYYMMDD');
      calls.reassigned += 1;
      if (facts.failing !== undefined) return failure(facts.failing);
      body.reassigned_number = reassignedAnswer(facts, lastVerified, options.clock.now());
    }
    if (fields.includes('line_type_intelligence')) {
      calls.lineType += 1;
      if (facts.failing !== undefined) return failure(facts.failing);
      body.line_type_intelligence = {
        type: facts.lineType ?? 'mobile',
        carrier_name: 'Local Wireless',
        mobile_country_code: '311',
        mobile_network_code: '480',
        error_code: null,
      };
    }
    return { status: 200, body: JSON.stringify(body) };
  }

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const result = answer(url, headers.get('authorization') ?? undefined);
    if (result === 'hang') return hangUntilAborted(init?.signal ?? undefined);
    return new Response(result.body, {
      status: result.status,
      headers: { 'content-type': 'application/json' },
    });
  };

  return {
    declare(phone, facts) {
      declared.set(phone, { ...declared.get(phone), ...facts });
    },
    fetch,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://local');
      if (!url.pathname.startsWith('/v2/PhoneNumbers/')) return false;
      const result = answer(url, req.headers.authorization);
      if (result === 'hang') return true; // the caller's timeout ends it, as with a stalled Lookup
      res.writeHead(result.status, { 'content-type': 'application/json' }).end(result.body);
      return true;
    },
    calls,
  };
}

/** Reassigned after the last verified day and by now → `yes`; else `no` (outside the US: an error). */
function reassignedAnswer(facts: DeclaredNumber, lastVerified: string, now: Date): Record<string, unknown> {
  const day = `${lastVerified.slice(0, 4)}-${lastVerified.slice(4, 6)}-${lastVerified.slice(6, 8)}`;
  const endOfDay = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
  const at = facts.reassignedAt?.getTime();
  const reassigned = at !== undefined && at >= endOfDay && at <= now.getTime();
  return { last_verified_date: day, is_number_reassigned: reassigned ? 'yes' : 'no', error_code: null };
}

function failure(mode: LookupFailureMode): Answer {
  if (mode === 'timeout') return 'hang';
  if (mode === 'http_500') return twilioError(500, 20500, 'Internal Server Error');
  return { status: 200, body: '<html>upstream proxy error</html>' };
}

function twilioError(status: number, code: number, message: string): Answer {
  return {
    status,
    body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
  };
}

function hangUntilAborted(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

const STANDIN_ACCOUNT = 'AC00000000000000000000000000000000';
const STANDIN_TOKEN = 'local-lookup-token';

/**
 * The production Lookup adapter wired to an in-process stand-in: tests that run no HTTP server
 * still go through the real request building and answer parsing.
 */
export function standInNumberLookup(clock: Clock): { lookup: NumberLookup; standIn: LookupStandIn } {
  const standIn = createLookupStandIn({ clock, accountSid: STANDIN_ACCOUNT, authToken: STANDIN_TOKEN });
  const lookup = twilioNumberLookup({
    accountSid: STANDIN_ACCOUNT,
    authToken: STANDIN_TOKEN,
    fetch: standIn.fetch,
    timeoutMs: 200,
  });
  return { lookup, standIn };
}
