/**
 * The two route shapes the API repeats most: a route about one of the calling agent's contacts
 * (the agent key, the phone in the path) and an admin route about one agent (the admin key, the
 * agent's id in the path). Each answers 404 when its contact or agent is not there, or is another
 * agent's; the route adds what is its own (a body, its other answers, its access, its handler).
 */
import type { Route } from '../route';
import { notFound } from './responses';
import { defineRoute, type JsonRouteOptions, type JsonRouteSpec } from './route';
import { agentPath, contactPath } from './schemas';

/** What a scoped route adds to its scope's options: a body, the suspension policy, limits. */
type ScopeExtras = Omit<JsonRouteOptions, 'auth' | 'path' | 'query'>;

/** A scoped route's definition: a {@link JsonRouteSpec} whose auth and path come from its scope. */
export type ScopedRouteSpec<K extends string, S extends JsonRouteOptions, X extends ScopeExtras> = Omit<
  JsonRouteSpec<K, S & X>,
  'options'
> & { options?: X };

const contactScope = { auth: 'agent', path: contactPath } as const;
const agentScope = { auth: 'admin', path: agentPath } as const;

/**
 * A route about one of the caller's contacts: `{phone}` in the path, the agent key, 404 for a
 * phone that is not the agent's contact. Mark each call `@__PURE__`, like `defineRoute`'s.
 */
export function contactRoute<const K extends string, const X extends ScopeExtras = Record<never, never>>(
  spec: ScopedRouteSpec<K, typeof contactScope, X>,
): Route<K> {
  return scopedRoute(contactScope, spec);
}

/**
 * An admin route about one agent: `{agentId}` in the path, the admin key, 404 for an unknown
 * agent. Mark each call `@__PURE__`, like `defineRoute`'s.
 */
export function agentRoute<const K extends string, const X extends ScopeExtras = Record<never, never>>(
  spec: ScopedRouteSpec<K, typeof agentScope, X>,
): Route<K> {
  return scopedRoute(agentScope, spec);
}

function scopedRoute<K extends string, S extends JsonRouteOptions, X extends ScopeExtras>(
  scope: S,
  { options, responses, ...spec }: ScopedRouteSpec<K, S, X>,
): Route<K> {
  return defineRoute<K, S & X>({
    ...spec,
    options: { ...scope, ...options } as S & X,
    responses: { 404: notFound, ...responses },
  });
}
