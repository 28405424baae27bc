import type * as z from 'zod';

/** The issues `schema` finds in `value`, each as `path: message`; none when it accepts the value. */
export function issuesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
