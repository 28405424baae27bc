import * as z from 'zod';

/** Every rule file names its version; the receipt of each message quotes it. */
export const versioned = z.object({ version: z.string().min(1), source: z.string().min(1) });

/** Parses rule data at module load so a bad data change fails the first test, not a send. */
export function loadRules<T>(name: string, schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`rules/${name} is invalid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
