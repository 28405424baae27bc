import * as z from 'zod';

/** The body of every refusal; in a module of its own so routes document it without the request schemas. */
export const errorResponse = z.object({
  error: z.string().describe('stable code: invalid_request, unauthorized, forbidden, not_found, …'),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
