import type * as z from 'zod';
import type { Deps } from '../../usecases/deps';
import type { DocumentedResponse, FunctionAccess, HttpMethod, Route } from '../route';
import { httpHandler, type HttpOptions, type HttpReply, type HttpRequest } from './middleware';

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
  responses: Record<number, DocumentedResponse>;
  access: FunctionAccess;
  handle: (deps: Deps, request: HttpRequest<O>) => Promise<HttpReply>;
};

/**
 * A JSON API route: the handler is `httpHandler` with exactly the options the route documents.
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
  return {
    key: spec.key,
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    auth: options.auth,
    ...(options.body === undefined ? {} : { body: spec.fullBody ?? options.body }),
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.path === undefined ? {} : { params: options.path }),
    responses: spec.responses,
    access: spec.access,
    create: (deps) => httpHandler(deps, options, (request) => handle(deps, request)),
  };
}
