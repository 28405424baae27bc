import type * as z from 'zod';
import type { Deps } from '../../usecases/deps';
import type { DocumentedResponse, FunctionAccess, Route } from '../route';
import { twilioWebhook, type TwilioRequest } from './middleware';
import { twilioRefusals } from './responses';

/** A Twilio webhook as its handler file writes it: a signed form post under `/twilio/`, answered with TwiML. */
export type WebhookSpec<K extends string, S extends z.ZodType> = {
  key: K;
  path: `/twilio/${string}`;
  summary: string;
  /** Names the webhook in logs. */
  name: string;
  /** The form fields the webhook reads; other fields Twilio sends are ignored (but signed). */
  form: S;
  /** What `handle` answers; the wrapper's refusals (400, 403, 413, 415, 500) are added. */
  responses: Record<number, DocumentedResponse>;
  access: FunctionAccess;
  handle: (deps: Deps, request: TwilioRequest<z.output<S>>) => Promise<string>;
};

/**
 * A Twilio webhook route: the handler is `twilioWebhook` with exactly the form the route documents.
 * Mark each call `@__PURE__`, like `defineRoute`'s.
 */
export function defineWebhook<const K extends string, S extends z.ZodType>(
  spec: WebhookSpec<K, S>,
): Route<K> {
  const { handle } = spec;
  return {
    key: spec.key,
    method: 'POST',
    path: spec.path,
    summary: spec.summary,
    auth: 'twilio-signature',
    form: spec.form,
    responses: { ...twilioRefusals, ...spec.responses },
    access: spec.access,
    create: (deps) =>
      twilioWebhook(deps, { name: spec.name, params: spec.form }, (request) => handle(deps, request)),
  };
}
