import type { Route } from '../route';
import { defineRoute, ok } from './route';

/**
 * `GET /openapi.json` of `routes`: no auth, so tools can discover the API. The document is built
 * once per function; the Lambda function gets it built at synth time (`document`), so it bundles
 * none of the handlers it describes.
 */
export function openApiRoute<K extends string>(key: K, document: () => Record<string, unknown>): Route<K> {
  let built: Record<string, unknown> | undefined;
  return defineRoute({
    key,
    route: 'GET /openapi.json',
    summary: 'This document',
    options: { auth: 'none' },
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    // Unauthenticated and static: no table, no secret.
    access: { reads: [], writes: [] },
    handle: async (deps) => {
      built ??= document();
      const { openapi, info, ...rest } = built;
      const servers = deps.config.publicBaseUrl ? { servers: [{ url: deps.config.publicBaseUrl }] } : {};
      return ok({ openapi, info, ...servers, ...rest });
    },
  });
}
