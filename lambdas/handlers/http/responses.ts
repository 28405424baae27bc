/** Responses many JSON routes document alike: the wrapper's refusals of a bad request or key. */
import type { DocumentedResponse } from '../route';
import { errorResponse } from './error-response';

/** A refusal with the API's error body; the description names its `error` codes. */
export const refusal = (description: string): DocumentedResponse => ({ description, schema: errorResponse });

/** What every authenticated route answers to a missing, unknown or wrong key. */
export const authErrors = {
  401: refusal('missing or unknown API key'),
  403: refusal('the key may not use this route'),
};

/** What every route that validates input answers to input that fails its schema. */
export const invalidInput = refusal('invalid input; the message names the field');

/** 404 of a route reading one item the caller owns. */
export const notFound = refusal('not found (or another agent’s)');
