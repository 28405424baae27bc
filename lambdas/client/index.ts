/**
 * The ConsentLine API client: typed, fetch-based, no server code at run time. Used by the CLI
 * and the end-to-end tests; usable from any Node 20+ program.
 */
export { createConsentLineClient, type ConsentLineClient, type ConsentLineClientOptions } from './client';
export { ConsentLineApiError, ConsentLineConnectionError } from './errors';
export type * from './types';
