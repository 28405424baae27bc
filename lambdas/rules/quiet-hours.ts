import * as z from 'zod';
import data from './data/quiet-hours.json';
import { loadRules, versioned } from './schema';

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

const wallClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const span = z
  .tuple([wallClock, wallClock])
  .refine(([from, to]) => from < to, 'window start must be before its end');

const dayRule = z.object({
  /** Weekdays with their allowed span; a missing weekday allows nothing that day. */
  days: z.partialRecord(z.enum(weekdays), span),
  /** No sends on the state's legal holidays (RULES §3: UT, LA, AL, MS, RI). */
  noHolidays: z.boolean(),
});
export type DayRule = z.infer<typeof dayRule>;

const schema = versioned.extend({
  default: dayRule,
  unknown: z.object({ zones: z.array(z.string()).min(1), rule: dayRule }),
  states: z.record(z.string().regex(/^[A-Z]{2}$/), dayRule),
});

/** Allowed sending windows by recipient state (RULES §3), in the recipient's wall-clock time. */
export const quietHours = loadRules('quiet-hours', schema, data);
