/**
 * What an HTTP route is: one object per route, exported by its handler file and listed once in
 * `routes.ts`. The API Gateway routes and their functions, each function's grants, the OpenAPI
 * document and the local runtime's router are all read from it, so none of them can name a route,
 * an auth mode or a schema the handler does not use.
 */
import type * as z from 'zod';
import { tableList, type TableName } from '../adapters/dynamo/tables';
import type { Deps } from '../usecases/deps';
import type { AuthMode, HttpHandler } from './http/middleware';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Who may call a route: an API key mode, or Twilio proving a webhook with its signature. */
export type RouteAuth = AuthMode | 'twilio-signature';

/** One documented response; `mediaType` defaults to JSON. */
export type DocumentedResponse = { description: string; schema?: z.ZodType; mediaType?: string };

/** A secret a function may read: the admin key's HMAC with its pepper, or the Twilio credentials. */
export type SecretName = 'admin' | 'twilio';

/**
 * What a function may read and change; nothing else is granted. Reads and writes are declared
 * per function, from the stores its use cases call.
 */
export type FunctionAccess = {
  /**
   * Tables (and their indexes) the function reads: GetItem, BatchGetItem, Query and
   * ConditionCheckItem. Every authenticated route reads `agents` (the key lookup).
   */
  reads: readonly TableName[];
  /**
   * Tables the function writes. An append-only table (ledger, opt-outs) gets `PutItem` only, so
   * nothing can rewrite or erase a consent record; the others get `PutItem` and `UpdateItem`.
   * No function is ever given `DeleteItem` or `BatchWriteItem` (a batch write can delete).
   */
  writes: readonly TableName[];
  /**
   * Secrets the function reads: `admin` for routes that accept the admin key (the HMAC and its
   * pepper), `twilio` for the functions that call Twilio or verify its webhook signatures.
   */
  secrets?: readonly SecretName[];
  /**
   * Tables the function may Scan: only the admin's agent listing reads the agents table whole
   * (tens of items); no other function scans.
   */
  scans?: readonly TableName[];
  /** Puts messages on the send queue (`sqs:SendMessage`). */
  enqueues?: boolean;
  /** Books release schedules (`scheduler:CreateSchedule` in the app's group + `iam:PassRole` of its role). */
  schedules?: boolean;
  /** Puts captured webhooks on the SMS fallback queue (`sqs:SendMessage`). */
  captures?: boolean;
};

/** Every table, for the use cases that may touch any of them (the gate reads most). */
export const allTables: readonly TableName[] = tableList.map((table) => table.logicalName);

/**
 * What folding a contact's consent reads: the phone's item collection in the ledger (every
 * agent's chain, its opt-outs, its derived state), its reassignments (numbers) and Twilio's block
 * list (counters).
 */
export const consentReads: readonly TableName[] = ['agents', 'contacts', 'ledger', 'counters', 'numbers'];

/**
 * One route, as everything else reads it. `key` names its Lambda function (one per route) and its
 * OpenAPI operation; `create` builds its handler from the injected `Deps`.
 */
export type Route<K extends string = string> = {
  key: K;
  method: HttpMethod;
  /** API Gateway style, e.g. `/v1/contacts/{phone}`; each `{name}` is a field of `params`. */
  path: string;
  summary: string;
  auth: RouteAuth;
  /** The JSON request body the handler validates. */
  body?: z.ZodType;
  /** An `application/x-www-form-urlencoded` request body: the fields read (others are ignored). */
  form?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  /** What the handler answers, besides what its wrapper answers on every route. */
  responses: Record<number, DocumentedResponse>;
  /** The tables, secrets and queues its function is granted, and nothing else. */
  access: FunctionAccess;
  create: (deps: Deps) => HttpHandler;
};

/** The API Gateway route key, e.g. `PUT /v1/contacts/{phone}`. */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The problems of a route list, one line each: a key or a method and path declared twice, a path
 * whose `{names}` are not exactly the fields of its `params`, or a Twilio webhook outside
 * `/twilio/` (the stack throttles and the signature check key on that prefix) or an API route in it.
 */
export function routeProblems(routes: readonly Route[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const route of routes) {
    for (const id of [`key ${route.key}`, `route ${routeKey(route)}`]) {
      if (seen.has(id)) problems.push(`${id} is declared twice`);
      seen.set(id, route.key);
    }
    const named = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name!).sort();
    const parsed = Object.keys(route.params?.shape ?? {}).sort();
    if (named.join() !== parsed.join()) {
      problems.push(
        `${route.key}: the path names {${named.join(', ')}} but params has [${parsed.join(', ')}]`,
      );
    }
    if ((route.auth === 'twilio-signature') !== route.path.startsWith('/twilio/')) {
      problems.push(`${route.key}: only Twilio webhooks (signed) live under /twilio/`);
    }
    if (route.body !== undefined && route.form !== undefined) {
      problems.push(`${route.key}: a body is JSON or a form, not both`);
    }
  }
  return problems;
}
