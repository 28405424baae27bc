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

/** One rule set over time: the version in force at any instant. */
export type RuleTimeline<T> = {
  /** Every version, oldest first, each with the instant it takes effect (the first: always). */
  readonly versions: readonly { effectiveFrom: number; rules: T }[];
  /** The rules in force at `at`. */
  at(at: Date): T;
};

/**
 * Loads a rule set whose later versions take effect at known instants (RULES §1: "rules carry
 * the instant they take effect"). The data holds the rules in force now plus `amendments`, each
 * a `version`, a `source`, an `effectiveFrom` instant and the fields it changes; every version
 * is the previous one with its changes applied, and each is validated whole by `schema`.
 *
 * @example
 * const consent = loadTimeline('consent', schema, data);
 * consent.at(new Date('2027-02-01T00:00:00Z')).revokeAll // true
 */
export function loadTimeline<T extends { version: string }>(
  name: string,
  schema: z.ZodType<T>,
  data: unknown,
): RuleTimeline<T> {
  const { amendments, ...base } = loadRules(`${name} (amendments)`, amendmentsSchema, data);
  const versions: { effectiveFrom: number; rules: T }[] = [
    { effectiveFrom: Number.NEGATIVE_INFINITY, rules: loadRules(name, schema, base) },
  ];
  const ordered = [...amendments].sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom));
  for (const { effectiveFrom, ...changes } of ordered) {
    const previous = versions.at(-1)!.rules;
    const rules = loadRules(`${name} ${changes.version}`, schema, { ...previous, ...changes });
    versions.push({ effectiveFrom: Date.parse(effectiveFrom), rules });
  }
  return {
    versions,
    at(at: Date): T {
      const instant = at.getTime();
      for (let i = versions.length - 1; i > 0; i--) {
        if (instant >= versions[i]!.effectiveFrom) return versions[i]!.rules;
      }
      return versions[0]!.rules;
    },
  };
}

const amendmentsSchema = z.looseObject({
  amendments: z
    .array(
      versioned
        .extend({
          effectiveFrom: z.iso.datetime({ offset: true }).describe('the instant this version takes effect'),
        })
        // The fields an amendment changes are checked when it is applied, by the rule set's own schema.
        .loose(),
    )
    .default([]),
});
