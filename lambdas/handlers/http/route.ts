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

/** A JSON API route as its handler file writes it. */
export type JsonRouteSpec<K extends string, O extends JsonRouteOptions> = {
  key: K;
  method: HttpMethod;
  path: string;
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
 * export const getContactRoute = defineRoute({
 *   key: 'contacts.get', method: 'GET', path: '/v1/contacts/{phone}', summary: 'A contact',
 *   options: { auth: 'agent', path: contactPath },
 *   responses: { 200: { description: 'the contact', schema: contactResponse } },
 *   access: { reads: consentReads, writes: [] },
 *   handle: async (deps, { caller, path }) => ({ status: 200, body: await getContact(deps, caller.agent, path.phone) }),
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
  return {
    key: spec.key,
    method: spec.method,
    path: spec.path,
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
