import * as path from 'node:path';
import { httpHandlers } from '../lambdas/handlers/routes';

/** Functions that no HTTP route reaches: the send queue's consumer, the due-drip sweep, the release reconciler. */
export const backgroundFunctions = [
  'send-worker',
  'sweep',
  'release-reconciler',
  'sms-fallback-processor',
] as const;
export type BackgroundFunction = (typeof backgroundFunctions)[number];

/** Stream consumers: plain handlers with no app dependencies (no secret, no table beyond their stream). */
export const streamFunctions = ['append-only-watch'] as const;

/** Where the Lambda entry files live: one `<key>.ts` per function, each importing only its own handler. */
export const entriesDirectory = path.join(__dirname, '..', 'lambdas', 'handlers', 'aws', 'entries');

/** The entry file of a function key, e.g. `agents.create` → `…/entries/agents.create.ts`. */
export function entryPath(key: string): string {
  return path.join(entriesDirectory, `${key}.ts`);
}

/**
 * Every function the stack deploys: one per HTTP handler key in `httpHandlers` (read at synth
 * time, so a new route group needs only its entry file), then the background and stream functions.
 */
export function functionKeys(): string[] {
  return [...Object.keys(httpHandlers), ...backgroundFunctions, ...streamFunctions];
}
