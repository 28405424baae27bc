import * as z from 'zod';
import type { LineTypeLookup, LookupFailure, NumberLookup, ReassignedLookup } from '../../ports';
import { parseJson, twilioRest, type TwilioRestOptions } from './rest';

// https://www.twilio.com/docs/lookup/v2-api/reassigned-number: `is_number_reassigned` is `yes`,
// `no` or `no_data_available`; `error_code` is set when the package could not answer.
const reassignedBody = z.object({
  reassigned_number: z.object({
    last_verified_date: z.string().nullish(),
    is_number_reassigned: z.enum(['yes', 'no', 'no_data_available']).nullable(),
    error_code: z.union([z.number(), z.string()]).nullable(),
  }),
});

// https://www.twilio.com/docs/lookup/v2-api/line-type-intelligence: `type` is one of mobile,
// landline, fixedVoip, nonFixedVoip, personal, tollFree, premium, sharedCost, uan, voicemail,
// pager, unknown; `error_code` is set when the package could not answer.
const lineTypeBody = z.object({
  line_type_intelligence: z.object({
    type: z.string().min(1).nullable(),
    error_code: z.union([z.number(), z.string()]).nullable(),
  }),
});

/** Twilio's REST error body, e.g. `{ code: 20404, message, more_info, status: 404 }`. */
const errorBody = z.object({ code: z.number().optional(), message: z.string().optional() });

/**
 * A {@link NumberLookup} on Twilio Lookup v2 with a plain `fetch`:
 * `GET https://lookups.twilio.com/v2/PhoneNumbers/{phone}?Fields=…` with HTTP Basic auth
 * (https://www.twilio.com/docs/lookup/v2-api#making-a-request). Every answer is parsed with zod:
 * an HTTP error, a timeout, an `error_code` in the package or a body that does not parse is a
 * failure — never "not reassigned". Never throws.
 *
 * @example
 * const lookup = twilioNumberLookup({ accountSid, authToken });
 * const answer = await lookup.reassigned('+13055550123', '2026-01-10');
 */
export function twilioNumberLookup(options: TwilioRestOptions): NumberLookup {
  const rest = twilioRest(options, 'https://lookups.twilio.com');
  const { authorization, fetch: fetchFn, timeoutMs } = rest;
  const root = `${rest.root}/v2/PhoneNumbers/`;

  async function get(
    phone: string,
    query: Record<string, string>,
  ): Promise<{ text: string } | LookupFailure> {
    const url = `${root}${encodeURIComponent(phone)}?${new URLSearchParams(query).toString()}`;
    try {
      const response = await fetchFn(url, {
        headers: { authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return { text };
      const error = errorBody.safeParse(parseJson(text));
      const code = error.success && error.data.code !== undefined ? ` ${error.data.code}` : '';
      return { ok: false, reason: `Lookup answered HTTP ${response.status}${code}`, raw: text };
    } catch (error) {
      // AbortSignal.timeout rejects with a DOMException, which is not always an Error instance.
      const name =
        typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network error';
      return { ok: false, reason: `Lookup did not answer (${reason})` };
    }
  }

  return {
    async reassigned(phone, lastVerifiedDate) {
      const got = await get(phone, {
        Fields: 'reassigned_number',
        LastVerifiedDate: lastVerifiedDate.replaceAll('-', ''),
      });
      return 'text' in got ? parseReassigned(got.text) : got;
    },
    async lineType(phone) {
      const got = await get(phone, { Fields: 'line_type_intelligence' });
      return 'text' in got ? parseLineType(got.text) : got;
    },
  };
}

/** A 2xx body of a `reassigned_number` request as an answer, or why it is not one. */
export function parseReassigned(raw: string): ReassignedLookup {
  const parsed = reassignedBody.safeParse(parseJson(raw));
  if (!parsed.success) return { ok: false, reason: 'Lookup answer could not be parsed', raw };
  const { is_number_reassigned: answer, error_code: errorCode } = parsed.data.reassigned_number;
  if (errorCode !== null) return { ok: false, reason: `Lookup reassigned_number error ${errorCode}`, raw };
  if (answer === null) return { ok: false, reason: 'Lookup gave no reassigned_number answer', raw };
  const answers = { yes: 'reassigned', no: 'not_reassigned', no_data_available: 'no_data' } as const;
  return { ok: true, answer: answers[answer], raw };
}

/** A 2xx body of a `line_type_intelligence` request as a line type, or why it is not one. */
export function parseLineType(raw: string): LineTypeLookup {
  const parsed = lineTypeBody.safeParse(parseJson(raw));
  if (!parsed.success) return { ok: false, reason: 'Lookup answer could not be parsed', raw };
  const { type, error_code: errorCode } = parsed.data.line_type_intelligence;
  if (errorCode !== null)
    return { ok: false, reason: `Lookup line_type_intelligence error ${errorCode}`, raw };
  if (type === null) return { ok: false, reason: 'Lookup gave no line type', raw };
  return { ok: true, lineType: type, raw };
}
