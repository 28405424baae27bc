import type * as z from 'zod';
import type { Deps } from '../../usecases/deps';
import type { DocumentedResponse, FunctionAccess, HttpMethod, Route } from '../route';
import { httpHandler, type HttpOptions, type HttpReply, type HttpRequest } from './middleware';
import { authErrors, invalidInput, refusal } from './responses';

/** The wrapper's options of a JSON route; path and query are objects, so they document as parameters. */
export type JsonRouteOptions = Omit<HttpOptions, 'path' | 'query'> & {
  path?: z.ZodObject;
  query?: z.ZodObject;
};

/** A route's method and path in API Gateway's route-key form, e.g. `GET /v1/contacts/{phone}`. */
export type RouteLine = `${HttpMethod} /${string}`;

/** A JSON API route as its handler file writes it. */
export type JsonRouteSpec<K extends string, O extends JsonRouteOptions> = {
  key: K;
  route: RouteLine;
  summary: string;
  /** What `httpHandler` checks before `handle` runs: auth, body, query and path schemas, limits. */
  options: O;
  /**
   * The body `handle` validates itself after `options.body`, an envelope read first so a bad
   * discriminator gets its own 422: documented in the envelope's place.
   */
  fullBody?: z.ZodType;
  /**
   * What `handle` answers; a string is a refusal with the API's error body. The wrapper's own
   * refusals are added: 401/403 where a key is needed, 400 where input is validated.
   */
  responses: Record<number, DocumentedResponse | string>;
  /** What its function is granted; the admin key's secrets are added where the admin key is accepted. */
  access: FunctionAccess;
  handle: (deps: Deps, request: HttpRequest<O>) => Promise<HttpReply>;
};

/**
 * A JSON API route: the handler is `httpHandler` with exactly the options the route documents.
 * Mark each call `@__PURE__` (as the handler files do): a route's function is bundled from its
 * handler file, and esbuild drops the file's other routes only from calls it knows are pure, with
 * arguments free of spreads and calls (hence refusals as strings, and the derived wrapper answers).
 *
 * @example
 * export const verifyLedgerRoute = defineRoute({
 *   key: 'ledger.verify', route: 'GET /v1/ledger/verify', summary: 'Re-hash a phone’s chains',
 *   options: { auth: 'admin', query: verifyQuery },
 *   responses: { 200: { description: 'verification', schema: verificationResponse } },
 *   access: { reads: ['agents', 'ledger', 'numbers'], writes: [] },
 *   handle: async (deps, { query }) => ok(await verifyLedger(deps, 'all_agents', query.phone)),
 * });
 */
export function defineRoute<const K extends string, const O extends JsonRouteOptions>(
  spec: JsonRouteSpec<K, O>,
): Route<K> {
  const { options, handle } = spec;
  const hasInput = options.body !== undefined || options.query !== undefined || options.path !== undefined;
  const acceptsAdminKey = options.auth === 'admin' || options.auth === 'agent_or_admin';
  const wrapperRefusals: Record<number, DocumentedResponse> = {};
  if (options.auth !== 'none') Object.assign(wrapperRefusals, authErrors);
  if (hasInput) wrapperRefusals[400] = invalidInput;
  const [method, path] = splitRouteLine(spec.route);
  return {
    key: spec.key,
    method,
    path,
    summary: spec.summary,
    auth: options.auth,
    ...(options.body === undefined ? {} : { body: spec.fullBody ?? options.body }),
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.path === undefined ? {} : { params: options.path }),
    responses: {
      ...wrapperRefusals,
      ...Object.fromEntries(
        Object.entries(spec.responses).map(([status, response]) => [
          status,
          typeof response === 'string' ? refusal(response) : response,
        ]),
      ),
    },
    access: acceptsAdminKey
      ? { ...spec.access, secrets: [...new Set([...(spec.access.secrets ?? []), 'admin' as const])] }
      : spec.access,
    create: (deps) => httpHandler(deps, options, (request) => handle(deps, request)),
  };
}

/** The method and the path of `GET /v1/…`. */
function splitRouteLine(line: RouteLine): [HttpMethod, string] {
  const space = line.indexOf(' ');
  return [line.slice(0, space) as HttpMethod, line.slice(space + 1)];
}

/** A 200 reply with `body` as JSON. */
export const ok = (body: unknown): HttpReply => ({ status: 200, body });

/** A 201 reply: `body` is what was created. */
export const created = (body: unknown): HttpReply => ({ status: 201, body });

/** A 202 reply: `body` says what was accepted (a text is queued or held, not yet sent). */
export const accepted = (body: unknown): HttpReply => ({ status: 202, body });
