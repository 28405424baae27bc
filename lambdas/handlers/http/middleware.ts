/**
 * The one wrapper every HTTP API handler uses, so size limits, JSON parsing, validation, auth
 * and error mapping live in one place and a handler only maps a parsed request to a use case.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { Agent } from '../../ports';
import { isAdminKey } from '../../usecases/admin-key';
import { hashApiKey } from '../../usecases/api-keys';
import { suspensionReason } from '../../usecases/set-agent-suspension';
import type { Deps } from '../../usecases/deps';
import { asHttpError } from '../error-status';
import { HttpError } from '../http-error';

export { HttpError } from '../http-error';

/** What API Gateway (or the local runtime) invokes. */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Who may call a route. Agents see only their own data; the admin key manages agents. */
export type AuthMode = 'admin' | 'agent' | 'agent_or_admin' | 'none';

export type AdminCaller = { role: 'admin' };
export type AgentCaller = { role: 'agent'; agent: Agent };
export type Caller = AdminCaller | AgentCaller;

type CallerFor<A extends AuthMode> = A extends 'admin'
  ? AdminCaller
  : A extends 'agent'
    ? AgentCaller
    : A extends 'agent_or_admin'
      ? Caller
      : undefined;

export type HttpOptions = {
  auth: AuthMode;
  body?: z.ZodType;
  query?: z.ZodType;
  path?: z.ZodType;
  /**
   * Whether a suspended agent may call the route. Default no, reads included: a suspension is
   * what an operator does first about a leaked key, so it must stop the key reading message
   * bodies and contacts too. A route that must stay open (logging a revocation) allows them and
   * lets its use case decide.
   */
  suspendedAgents?: 'allow' | 'deny';
  /** Largest accepted body in bytes, after base64 decoding. Default 256 KiB. */
  maxBodyBytes?: number;
  /**
   * Fields (by key, at any depth) whose text may hold a line break or a tab. Default
   * {@link MULTILINE_FIELDS}: a message body, a contact's notes, consent evidence.
   */
  multilineFields?: readonly string[];
};

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A request that passed every check: typed, validated input and the authenticated caller. */
export type HttpRequest<O extends HttpOptions> = {
  body: Parsed<O['body']>;
  query: Parsed<O['query']>;
  path: Parsed<O['path']>;
  caller: CallerFor<O['auth']>;
  event: APIGatewayProxyEventV2;
};

/** What a route returns; the wrapper serialises `body` as JSON. */
export type HttpReply = { status: number; body?: unknown; headers?: Record<string, string> };

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/** Free text that naturally spans lines; every other string must be one line. */
export const MULTILINE_FIELDS: readonly string[] = ['body', 'notes', 'evidence'];
// Keys are 51 characters; anything much longer is not a key and is not worth hashing or looking up.
const MAX_BEARER_LENGTH = 256;
const MAX_ISSUES_IN_MESSAGE = 5;
const JSON_MEDIA_TYPE = 'application/json';
// C0/C1 controls (NUL, BEL, ESC…) and the bidirectional overrides and isolates (U+202E turns
// "gpj.exe" around on screen): invisible or misleading in a text, a log or an export.
const CONTROL_CHARACTER = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const LINE_CONTROLS = new Set(['\n', '\t']);

const logger = new Logger({ serviceName: 'consentline-api' });

/** The `event` of the log line a failed admin authentication writes (the stack counts them). */
export const ADMIN_AUTH_FAILED = 'admin_auth_failed';

/**
 * Wraps a route in middy: header normalisation, error mapping, a body size guard, bearer auth,
 * then JSON parsing and zod validation of body, query and path. `fn` runs only for a valid,
 * authorised request and returns a status and a JSON body.
 *
 * Errors: `HttpError` → its status; a `DomainError` → the status `error-status.ts` gives its kind;
 * anything else → 500 with a generic
 * message (logged). Bad input is always a 4xx that names the field.
 *
 * @example
 * export const createGetContactHandler = (deps: Deps) =>
 *   httpHandler(deps, { auth: 'agent', path: contactPath }, async ({ caller, path }) => ({
 *     status: 200,
 *     body: await getContact(deps, caller.agent, path.phone),
 *   }));
 */
export function httpHandler<const O extends HttpOptions>(
  deps: Deps,
  options: O,
  fn: (request: HttpRequest<O>) => Promise<HttpReply>,
): HttpHandler {
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .use(errorResponses())
    .use(bodySizeLimit({ maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }))
    .use(jsonContentType({ bodyRequired: options.body !== undefined }))
    .handler(async (event) => {
      const caller = await authenticate(deps, event, options);
      const multiline = new Set(options.multilineFields ?? MULTILINE_FIELDS);
      const parsedBody = options.body === undefined ? undefined : parseJsonBody(event);
      if (options.body !== undefined) refuseControlCharacters('body', parsedBody, multiline);
      const query = queryOf(event);
      refuseControlCharacters('query', query, new Set());
      const input = {
        body: options.body === undefined ? undefined : validate('body', options.body, parsedBody),
        query: options.query === undefined ? undefined : validate('query', options.query, query),
        path:
          options.path === undefined ? undefined : validate('path', options.path, event.pathParameters ?? {}),
      };
      const reply = await fn({ ...input, caller, event } as HttpRequest<O>);
      return jsonResponse(reply.status, reply.body, reply.headers);
    });
  return (event, context) => handler(event, context);
}

/** A JSON response; `undefined` body → empty. `no-store` because responses can carry API keys. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

// ---------- middlewares ----------

type HttpRequestState = Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** Maps any error to a JSON response, last in the onError chain so nothing escapes it. */
function errorResponses(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const onError = (request: HttpRequestState): void => {
    const error = asHttpError(request.error);
    if (error !== undefined) {
      const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      const body = { error: error.code, message: error.message, ...error.details };
      request.response = jsonResponse(error.status, body, headers);
      return;
    }
    logger.error('unhandled error in HTTP handler', {
      error: request.error ?? undefined,
      route: request.event.routeKey,
      requestId: request.event.requestContext?.requestId,
    });
    request.response = jsonResponse(500, {
      error: 'internal_error',
      message: 'internal error; it has been logged',
    });
  };
  return { name: 'errorResponses', onError };
}

/**
 * Refuses bodies over `maxBytes` before anything reads them. API Gateway accepts up to 10 MB;
 * nothing in this API is near 256 KiB, so a bigger body is a mistake or an attack.
 */
function bodySizeLimit(opts: {
  maxBytes: number;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const { maxBytes } = { ...opts };
  const before = (request: HttpRequestState): void => {
    const { body, isBase64Encoded } = request.event;
    if (body === undefined || body === null) return;
    // base64 inflates by 4/3: measure what the body decodes to, without decoding a huge one.
    const bytes = isBase64Encoded ? Buffer.byteLength(body, 'base64') : Buffer.byteLength(body, 'utf8');
    if (bytes > maxBytes) {
      throw new HttpError(413, 'payload_too_large', `body is ${bytes} bytes; the limit is ${maxBytes} bytes`);
    }
  };
  return { name: 'bodySizeLimit', before };
}

/**
 * JSON routes take `application/json` only (any case, parameters such as `charset` allowed),
 * and a route without a JSON body takes no body of another type either. Without this a
 * `text/plain` body was parsed and stored; API Gateway passes any content type through.
 */
function jsonContentType(opts: {
  bodyRequired: boolean;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const before = (request: HttpRequestState): void => {
    const { body, headers } = request.event;
    const hasBody = body !== undefined && body !== null && body !== '';
    if (!opts.bodyRequired && !hasBody) return;
    const type = headers?.['content-type'];
    const media = type?.split(';')[0]?.trim().toLowerCase();
    if (media === JSON_MEDIA_TYPE) return;
    throw new HttpError(
      415,
      'unsupported_media_type',
      type === undefined || type.trim() === ''
        ? `header Content-Type: ${JSON_MEDIA_TYPE} is required with a body`
        : `Content-Type ${type.slice(0, 100)} is not accepted; send ${JSON_MEDIA_TYPE}`,
    );
  };
  return { name: 'jsonContentType', before };
}

// ---------- steps ----------

/** Resolves the caller from `Authorization: Bearer <key>` and checks it may use the route. */
async function authenticate(
  deps: Deps,
  event: APIGatewayProxyEventV2,
  options: HttpOptions,
): Promise<Caller | undefined> {
  if (options.auth === 'none') return undefined;
  const key = bearerKey(event);
  if (isAdminKey(key, deps.config.adminKey)) {
    if (options.auth === 'agent')
      throw forbidden('this route is for agents; the admin key cannot act as one');
    return { role: 'admin' };
  }
  // A failed admin authentication is one structured log line: a metric filter counts them and an
  // alarm fires on a burst (lib/alarms.ts); API Gateway throttles the admin routes hard.
  if (options.auth === 'admin') logger.warn('admin authentication failed', adminAuthFailure(event));
  const agent = await deps.stores.agents.resolveApiKey(hashApiKey(key), deps.clock.now().toISOString());
  if (agent === undefined) throw new HttpError(401, 'unauthorized', 'unknown, replaced or revoked API key');
  if (options.auth === 'admin') throw forbidden('this route needs the admin key');
  if (agent.suspended && (options.suspendedAgents ?? 'deny') === 'deny') {
    throw new HttpError(
      403,
      'agent_suspended',
      `${suspensionReason(agent)}; only logging a revocation is allowed`,
      { reason: agent.suspendedReason },
    );
  }
  return { role: 'agent', agent };
}

function bearerKey(event: APIGatewayProxyEventV2): string {
  const header = event.headers?.authorization;
  if (header === undefined || header.trim() === '') {
    throw new HttpError(401, 'unauthorized', 'missing header Authorization: Bearer <API key>');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match?.[1] === undefined || match[1].length > MAX_BEARER_LENGTH) {
    throw new HttpError(401, 'unauthorized', 'Authorization must be "Bearer <API key>"');
  }
  return match[1];
}

function adminAuthFailure(event: APIGatewayProxyEventV2): Record<string, unknown> {
  return {
    event: ADMIN_AUTH_FAILED,
    route: event.routeKey,
    sourceIp: event.requestContext?.http?.sourceIp,
  };
}

function forbidden(message: string): HttpError {
  return new HttpError(403, 'forbidden', message);
}

/** The body as JSON. Our own parse, so the client learns why it failed, not a generic message. */
function parseJsonBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.body;
  if (raw === undefined || raw === null || raw.trim() === '') {
    throw new HttpError(400, 'invalid_request', 'body: a JSON object is required');
  }
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new HttpError(400, 'invalid_request', `body is not valid JSON${reason}`);
  }
}

/**
 * 422 naming the first string (or key) that holds a control character; a line break or a tab
 * is allowed only in the `multiline` fields. Runs before the schemas so no field escapes it.
 */
function refuseControlCharacters(part: string, value: unknown, multiline: ReadonlySet<string>): void {
  const found = findControl(value, [part], multiline, false);
  if (found === undefined) return;
  throw new HttpError(
    422,
    'control_character',
    `${found.path}: contains the control character ${found.codePoint}; ` +
      'send text without invisible or direction-changing characters' +
      (found.lineControl
        ? ' (a line break or tab is allowed only in a message body, notes or evidence)'
        : ''),
    { issues: [{ path: found.path, message: `contains the control character ${found.codePoint}` }] },
  );
}

type ControlFound = { path: string; codePoint: string; lineControl: boolean };

function findControl(
  value: unknown,
  path: string[],
  multiline: ReadonlySet<string>,
  allowLines: boolean,
): ControlFound | undefined {
  if (typeof value === 'string') return controlIn(value, path, allowLines);
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [String(i), item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const at = [...path, key];
    const inKey = Array.isArray(value) ? undefined : controlIn(key, at, false);
    if (inKey !== undefined) return inKey;
    // An array inherits its field's allowance: `rows[3].notes`, `steps[0].body`.
    const lines = Array.isArray(value) ? allowLines : multiline.has(key);
    const found = findControl(item, at, multiline, lines);
    if (found !== undefined) return found;
  }
  return undefined;
}

function controlIn(text: string, path: string[], allowLines: boolean): ControlFound | undefined {
  if (!CONTROL_CHARACTER.test(text)) return undefined;
  for (const char of text) {
    if (allowLines && LINE_CONTROLS.has(char)) continue;
    if (CONTROL_CHARACTER.test(char)) {
      const codePoint = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      return { path: path.join('.'), codePoint, lineControl: LINE_CONTROLS.has(char) };
    }
  }
  return undefined;
}

function queryOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  return query;
}

/** Parses one part of the request; failures become a 400 whose message names each field. */
export function validate<S extends z.ZodType>(
  part: 'body' | 'query' | 'path',
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => describeIssue(part, issue));
  const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => `${issue.path}: ${issue.message}`);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  throw new HttpError(400, 'invalid_request', shown.join('; ') + more, { issues });
}

export type FieldIssue = { path: string; message: string };

/**
 * A zod issue as `{path, message}` with the path dotted from `part` (`body.senderNumber`);
 * an unknown-keys issue becomes one entry per key so each typo is named.
 */
export function describeIssue(part: string, issue: z.core.$ZodIssue): FieldIssue[] {
  const at = (segments: readonly PropertyKey[]): string => [part, ...segments.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'unknown field' }));
  }
  // zod reports a missing field as a type mismatch with `undefined`; say what the client must do.
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  return [{ path: at(issue.path), message: missing ? 'is required' : issue.message }];
}
