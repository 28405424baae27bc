import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { toE164 } from '../handlers/http/schemas';
import type { LookupStandIn } from './lookup-standin';
import { readBody } from './read-body';

const PATH = /^\/local\/numbers\/([^/]+)$/;

// What a test may declare about a phone's number (Twilio Lookup v2's answers for it).
const declaration = z
  .strictObject({
    reassignedAt: z.iso.datetime({ offset: true }).optional(),
    lineType: z
      .enum(['mobile', 'landline', 'fixedVoip', 'nonFixedVoip', 'tollFree', 'voicemail', 'pager', 'unknown'])
      .optional(),
    failing: z.enum(['timeout', 'http_500', 'unparsable']).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'declare reassignedAt, lineType or failing');

/**
 * `POST /local/numbers/{phone}` with `{"reassignedAt": "…"}`, `{"lineType": "landline"}` or
 * `{"failing": "timeout"}` (null clears it): what Lookup answers for the phone from then on.
 * Returns false when the path is not this route's.
 */
export async function handleNumbersRoute(
  standIn: LookupStandIn,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const match = PATH.exec(new URL(req.url ?? '/', 'http://local').pathname);
  if (match === null) return false;
  const reply = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };
  if (req.method !== 'POST') {
    reply(405, { error: 'method_not_allowed' });
    return true;
  }
  const phone = toE164(decodeURIComponent(match[1]!));
  if ('problem' in phone) {
    reply(422, { error: 'invalid_phone', message: `phone: ${phone.problem}` });
    return true;
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req)).toString('utf8'));
  } catch {
    reply(400, { error: 'invalid_json', message: 'body: expected JSON' });
    return true;
  }
  const parsed = declaration.safeParse(body);
  if (!parsed.success) {
    reply(400, { error: 'invalid_request', message: z.prettifyError(parsed.error) });
    return true;
  }
  const { reassignedAt, lineType, failing } = parsed.data;
  standIn.declare(phone.e164, {
    ...(reassignedAt === undefined ? {} : { reassignedAt: new Date(reassignedAt) }),
    ...(lineType === undefined ? {} : { lineType }),
    ...(failing === undefined ? {} : { failing: failing ?? undefined }),
  });
  reply(200, { phone: phone.e164, ...parsed.data });
  return true;
}
