import * as z from 'zod';
import data from './data/holidays.json';
import stateHolidayData from './data/state-holidays.json';
import { quietHours, weekdays } from './quiet-hours';
import { loadRules, versioned } from './schema';

const purposes = z.array(z.enum(['automated', 'manual', 'confirmation']));

const fixedDay = z.object({
  name: z.string(),
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});
const nthWeekday = z.object({
  name: z.string(),
  month: z.number().int().min(1).max(12),
  weekday: z.enum(weekdays),
  nth: z.number().int().min(1).max(5),
});

const schema = versioned.extend({
  platform: z.object({
    appliesTo: purposes,
    observeSundayOnMonday: z.boolean(),
    observeSaturdayOnFriday: z.boolean(),
    days: z.array(z.union([fixedDay, nthWeekday])).min(1),
  }),
  state: z.object({
    appliesTo: purposes,
    /** States whose own rule holds fewer purposes than `appliesTo` (RULES §3 Pennsylvania: automated only). */
    appliesToByState: z.record(z.string().regex(/^[A-Z]{2}$/), purposes).default({}),
    observeSundayOnMonday: z.boolean(),
    observeSaturdayOnFriday: z.boolean(),
    /** date-holidays types that count as a state legal holiday. */
    holidayTypes: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).min(1),
  }),
});

export type PlatformHoliday = z.infer<typeof fixedDay> | z.infer<typeof nthWeekday>;

/** No-send days: the platform's three for automated texts (RULES §3) and how state legal holidays count. */
export const holidayRules = loadRules('holidays', schema, data);

const stateHolidaySchema = versioned
  .extend({
    years: z.tuple([z.number().int(), z.number().int()]),
    /** State → holiday name → its dates. */
    states: z.record(
      z.string().regex(/^[A-Z]{2}$/),
      z.record(z.string(), z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))),
    ),
  })
  .refine(
    (table) =>
      Object.entries(quietHours.states).every(
        ([state, rule]) => !rule.noHolidays || table.states[state] !== undefined,
      ),
    'every state whose quiet-hours rule has noHolidays needs a holiday list: regenerate state-holidays.json',
  );

/** State legal holidays by date, generated from date-holidays (`rules/generate/state-holidays.ts`). */
export const stateHolidays = loadRules('state-holidays', stateHolidaySchema, stateHolidayData);
