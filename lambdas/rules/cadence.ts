import * as z from 'zod';
import data from './data/cadence.json';
import { loadRules, versioned } from './schema';

/** The personalisation fields a cadence template may use; nothing else is filled in. */
export const cadenceFields = ['firstName', 'agentName', 'brokerage', 'address', 'years'] as const;
export type CadenceField = (typeof cadenceFields)[number];

/**
 * At most as many steps as the opt-in confirmation discloses ("22 msgs over 10 years",
 * rules/messages): a longer custom cadence would make that disclosure untrue.
 */
export const MAX_CADENCE_STEPS = 22;
export const MAX_CADENCE_MONTHS = 120;
/** Ten calendar years hold at least two leap days. */
export const MAX_CADENCE_DAYS = 3652;
export const MAX_TEMPLATE_LENGTH = 320;

const count = z.number().int().min(1);

/**
 * An offset from the step's anchor in exactly one unit; months and years are calendar units
 * (clamped to a shorter month's last day).
 */
const offset = z.union([
  z.strictObject({ days: count.max(MAX_CADENCE_DAYS) }),
  z.strictObject({ months: count.max(MAX_CADENCE_MONTHS) }),
  z.strictObject({ years: count.max(MAX_CADENCE_MONTHS / 12) }),
]);
export type CadenceOffset = z.infer<typeof offset>;

const placeholder = /\{(\w*)\}/g;
const known = new Set<string>(cadenceFields);

/**
 * The problems of one template that the data itself shows: unknown fields and stray braces.
 * What the text says (GSM-7, shorteners, SHAFT) is the compliance core's to judge
 * (`compliance/cadence-content`): rules are data and read nothing from the core.
 */
function templateProblems(template: string): string[] {
  const problems: string[] = [];
  const unknown = [...template.matchAll(placeholder)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.has(name));
  if (unknown.length > 0) {
    problems.push(
      `unknown field(s) ${unknown.map((name) => `{${name}}`).join(', ')}; known: ${cadenceFields.join(', ')}`,
    );
  }
  if (/[{}]/.test(template.replace(placeholder, ''))) problems.push('a brace that is not part of a {field}');
  return problems;
}

const template = z
  .string()
  .trim()
  .min(1)
  .max(MAX_TEMPLATE_LENGTH)
  .superRefine((text, ctx) => {
    for (const problem of templateProblems(text)) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * What a step's offset counts from: `closing` — the contact's closing date (its
 * `closingDate`, else its latest `ebr_transaction`), so a welcome or an anniversary lands
 * where the move happened; `enrollment` — the day the contact was enrolled. A contact without a
 * closing date counts every step from its enrollment. Absent means `enrollment` (cadences saved
 * before steps named their anchor).
 */
export const cadenceAnchors = ['closing', 'enrollment'] as const;
export type CadenceAnchor = (typeof cadenceAnchors)[number];

const step = z.strictObject({ step: count, anchor: z.enum(cadenceAnchors).optional(), offset, template });
export type CadenceStep = z.infer<typeof step>;

/**
 * The span of days an offset can cover from any enrollment date: a calendar month is 28–31
 * days, so an offset in months only comes surely after an offset in days outside that span.
 */
function daySpan(at: CadenceOffset): { min: number; max: number } {
  if ('days' in at) return { min: at.days, max: at.days };
  const months = 'months' in at ? at.months : at.years * 12;
  return { min: 28 * months, max: 31 * months };
}

function monthsOf(at: CadenceOffset): number | undefined {
  if ('months' in at) return at.months;
  if ('years' in at) return at.years * 12;
  return undefined;
}

/** Whether `next` falls strictly after `previous` whatever the enrollment date. */
export function isStrictlyAfter(previous: CadenceOffset, next: CadenceOffset): boolean {
  const [a, b] = [monthsOf(previous), monthsOf(next)];
  // Whole calendar months from one date always land in different months, so they order exactly.
  if (a !== undefined && b !== undefined) return a < b;
  return daySpan(previous).max < daySpan(next).min;
}

const steps = z
  .array(step)
  .min(1)
  .max(MAX_CADENCE_STEPS)
  .superRefine((list, ctx) => {
    list.forEach((current, i) => {
      if (current.step !== i + 1) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'step'],
          message: `must be ${i + 1}: steps are numbered 1, 2, 3… in order`,
        });
      }
      const previous = list[i - 1];
      if (previous !== undefined && !isStrictlyAfter(previous.offset, current.offset)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'offset'],
          message: `must come strictly after step ${previous.step}'s offset for every enrollment date`,
        });
      }
    });
  });

/** What an account supplies to replace the default cadence; version and source are assigned on save. */
export const cadenceContent = {
  name: z.string().trim().min(1).max(100),
  /** Text used when a contact lacks a field, e.g. `address` → "your home". */
  fallbacks: z.partialRecord(z.enum(cadenceFields), z.string().trim().max(100)).default({}),
  steps,
};

export const customCadenceBody = z.strictObject(cadenceContent);

export const cadenceSchema = versioned.extend(cadenceContent);

/**
 * A drip cadence (RULES §5): numbered steps, each an offset from its anchor (the closing or
 * the enrollment) and a template.
 */
export type Cadence = z.infer<typeof cadenceSchema>;

/** The default 22-step, 10-year cadence; an account may replace it (`PUT /v1/cadence`). */
export const defaultCadence: Cadence = loadRules('cadence', cadenceSchema, data);
