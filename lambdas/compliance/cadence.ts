import { isIanaZone } from '../rules/area-codes';
import {
  cadenceFields,
  type Cadence,
  type CadenceAnchor,
  type CadenceField,
  type CadenceOffset,
} from '../rules/cadence';
import { locateRecipient } from './location';
import type { ConsentEvent } from './types';
import { dateKey, instantAtWallClock, localDateOf, wallTime } from './zone-clock';

const DAY_MS = 86_400_000;

/**
 * Local time of day a step falls due, whatever it counts from: noon is inside every state's
 * window (the strictest, unknown location, opens at 12:00 Eastern), so a step goes out on its
 * day in the contact's zone — an anniversary on the anniversary, a check-in at lunchtime, not at
 * the hour of the night the agent enrolled the contact — unless the day is closed; then the gate
 * moves it to the next allowed window, as it does any text.
 */
export const STEP_MINUTE = 12 * 60;

/** One drip step of a contact: when it falls due, what it counts from, and its personalised text. */
export type PlannedStep = {
  step: number;
  /** What the offset was counted from: `closing` only when the contact has a closing date. */
  anchor: CadenceAnchor;
  dueAt: Date;
  body: string;
};

/** A step an enrollment leaves out because its moment had passed when the contact was enrolled. */
export type SkippedStep = {
  step: number;
  anchor: CadenceAnchor;
  /** When it would have been due. */
  dueAt: string;
  reason: string;
};

/** The date a contact's cadence counts its `closing` steps from, and where it came from. */
export type ClosingAnchor = {
  /** `YYYY-MM-DD`, a calendar date in the contact's zone. */
  date: string;
  source: 'closingDate' | 'ebr_transaction';
  /** The `ebr_transaction` ledger event, when the date came from one. */
  eventId?: string;
};

export type CadencePlanInput = {
  cadence: Pick<Cadence, 'steps' | 'fallbacks'>;
  enrolledAt: Date;
  contact: { name?: string; address?: string };
  agent: { name: string; brokerage?: string };
  /** The contact's closing date; without one every step counts from the enrollment. */
  closing?: Pick<ClosingAnchor, 'date'>;
  /** The contact's zone (see {@link contactZone}): every step's date is a date there. */
  zone: string;
};

/**
 * The due instant of an offset from the enrollment (RULES §5: offsets from the enrollment date):
 * the calendar date that many days, months or years after the enrollment's date in `zone` (a
 * shorter month clamps: 31 Jan + 1 month → 28/29 Feb), at {@link STEP_MINUTE} local time, or
 * the enrollment itself when that is later (a step due the same day, enrolled after noon, is due
 * at once: enrollment steps are never skipped).
 *
 * @example dueAtFor(new Date('2027-01-31T03:30:00Z'), { months: 2 }, 'America/Chicago') // 2027-03-30T17:00:00Z
 */
export function dueAtFor(enrolledAt: Date, offset: CadenceOffset, zone: string): Date {
  const at = enrolledAt.getTime();
  if (Number.isNaN(at)) throw new RangeError('enrolledAt is an invalid date');
  const due = stepDueAfter(localDateIn(zone, enrolledAt), offset, zone);
  return due.getTime() < at ? new Date(at) : due;
}

/**
 * The due instant of an offset from a date (the closing, or the enrollment's date in `zone`):
 * the calendar date that many days, months or years after it (clamped to a shorter month's last day: a 29 February closing has its
 * anniversaries on 28 February), at {@link STEP_MINUTE} local time in `zone`. So a
 * `{ years: 3 }` step lands on the closing's third anniversary in the contact's own zone.
 *
 * @example stepDueAfter('2023-06-01', { years: 3 }, 'America/Chicago') // 2026-06-01T17:00:00Z
 */
export function stepDueAfter(date: string, offset: CadenceOffset, zone: string): Date {
  const start = dayNumberOf(date);
  let day: number;
  if ('days' in offset) day = start + offset.days;
  else {
    const { year, month, day: dayOfMonth } = localDateOf(start);
    const total = year * 12 + (month - 1) + monthsOf(offset);
    const [y, m] = [Math.floor(total / 12), total % 12];
    const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    day = Math.floor(Date.UTC(y, m, Math.min(dayOfMonth, lastDay)) / DAY_MS);
  }
  return new Date(instantAtWallClock(zone, day, STEP_MINUTE));
}

/**
 * The one zone a contact's closing date is read in: its explicit time zone when that is a
 * real IANA zone, else the first of the zones its state, ZIP and area code point to.
 */
export function contactZone(contact: {
  phone: string;
  timeZone?: string;
  state?: string;
  postalCode?: string;
}): string {
  const explicit = contact.timeZone?.trim();
  if (explicit !== undefined && /^[A-Za-z]/.test(explicit) && isIanaZone(explicit)) return explicit;
  const { zones } = locateRecipient({
    phone: contact.phone,
    ...(contact.state === undefined ? {} : { state: contact.state }),
    ...(contact.postalCode === undefined ? {} : { postalCode: contact.postalCode }),
  });
  return zones[0] ?? 'America/New_York';
}

/** The calendar date (`YYYY-MM-DD`) of an instant in `zone`: a deal's closing day where the contact lives. */
export function localDateIn(zone: string, at: Date): string {
  return dateKey(wallTime(zone, at.getTime()));
}

/**
 * Every step of `cadence` for one contact, in step order, with what it counts from, its due
 * instant and its rendered text. A `closing` step counts from `closing` when the contact has
 * one, else from the enrollment like every other step. The text is the agent-facing body only:
 * the gate adds the sender prefix and opt-out footer. Steps may fall before the enrollment
 * (a closing long ago): {@link planEnrollment} sets those aside.
 *
 * @example
 * planCadence({ cadence: defaultCadence, enrolledAt, contact: { name: 'Maria Lopez' }, agent })[0]
 * // { step: 1, anchor: 'enrollment', dueAt: <enrolledAt + 7 days>, body: 'Hi Maria, it's Dana Reyes. …' }
 */
export function planCadence({
  cadence,
  enrolledAt,
  contact,
  agent,
  closing,
  zone,
}: CadencePlanInput): PlannedStep[] {
  return cadence.steps.map(({ step, anchor: wanted, offset, template }) => {
    const fields: Partial<Record<CadenceField, string>> = {
      ...cadence.fallbacks,
      ...defined({
        firstName: firstNameOf(contact.name),
        address: contact.address,
        agentName: agent.name,
        brokerage: agent.brokerage,
      }),
      years: String(wholeYears(offset)),
    };
    const anchor: CadenceAnchor = wanted === 'closing' && closing !== undefined ? 'closing' : 'enrollment';
    const dueAt =
      anchor === 'closing'
        ? stepDueAfter((closing as { date: string }).date, offset, zone)
        : dueAtFor(enrolledAt, offset, zone);
    return { step, anchor, dueAt, body: renderTemplate(template, fields) };
  });
}

/**
 * What an enrollment schedules: every step whose moment is still ahead, and the steps whose
 * moment had passed when the contact was enrolled, each with why. A contact enrolled three
 * years after the closing gets no "thanks for trusting me with your move": steps are never
 * sent late, only on time or not at all (the gate may still hold one into its window).
 */
export function planEnrollment(input: CadencePlanInput): { steps: PlannedStep[]; skipped: SkippedStep[] } {
  const enrolled = input.enrolledAt.getTime();
  const steps: PlannedStep[] = [];
  const skipped: SkippedStep[] = [];
  for (const planned of planCadence(input)) {
    if (planned.dueAt.getTime() > enrolled) {
      steps.push(planned);
      continue;
    }
    const dueAt = planned.dueAt.toISOString();
    skipped.push({
      step: planned.step,
      anchor: planned.anchor,
      dueAt,
      reason:
        `its moment had passed: due ${dueAt}, ${describeOffset(input.cadence, planned.step)} the closing on ` +
        `${input.closing?.date ?? '?'}, before the enrollment at ${input.enrolledAt.toISOString()}; ` +
        'a step is sent on time or not at all',
    });
  }
  return { steps, skipped };
}

/**
 * The closing a contact's cadence counts from: its `closingDate` when set, else the date (in
 * `zone`) of the agent's latest `ebr_transaction` event for the phone — a closed deal is a
 * closing. Undefined when neither exists: the cadence then counts from the enrollment.
 */
export function closingAnchorOf(
  contact: { closingDate?: string },
  events: readonly Pick<ConsentEvent, 'id' | 'type' | 'at'>[],
  zone: string,
): ClosingAnchor | undefined {
  if (contact.closingDate !== undefined && contact.closingDate !== '') {
    return { date: contact.closingDate, source: 'closingDate' };
  }
  const latest = events
    .filter((event) => event.type === 'ebr_transaction' && !Number.isNaN(event.at.getTime()))
    .reduce<Pick<ConsentEvent, 'id' | 'type' | 'at'> | undefined>(
      (best, event) => (best === undefined || event.at.getTime() > best.at.getTime() ? event : best),
      undefined,
    );
  if (latest === undefined) return undefined;
  return { date: localDateIn(zone, latest.at), source: 'ebr_transaction', eventId: latest.id };
}

function describeOffset(cadence: Pick<Cadence, 'steps'>, step: number): string {
  const offset = cadence.steps.find((s) => s.step === step)?.offset;
  if (offset === undefined) return 'after';
  const [unit, count] = Object.entries(offset)[0] as [string, number];
  return `${count} ${count === 1 ? unit.replace(/s$/u, '') : unit} after`;
}

function dayNumberOf(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  const day =
    match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(day)) throw new RangeError(`date ${date} is not a YYYY-MM-DD date`);
  return Math.floor(day / DAY_MS);
}

function monthsOf(offset: Exclude<CadenceOffset, { days: number }>): number {
  return 'months' in offset ? offset.months : offset.years * 12;
}

const knownFields = new Set<string>(cadenceFields);
// Stands for a field without a value until the separators around it are tidied.
const EMPTY = '\uE000';
const emptyAfterSeparator = new RegExp(`(?:, |[ \\t])${EMPTY}(?=[,.!?;:)\\s]|$)`, 'gu');
const emptyAtLineStart = new RegExp(`(^|\\n)${EMPTY}[,;:]?[ \\t]*`, 'gu');

/**
 * Fills a cadence template. A known field without a value disappears with the separator that
 * would dangle: "Hi {firstName}, welcome" → "Hi, welcome"; "anniversary, {firstName}!" →
 * "anniversary!"; "{firstName}, welcome" → "welcome". An unknown `{field}` stays visible so a
 * preview shows it (cadence schemas refuse them). Values are put on one line.
 */
export function renderTemplate(template: string, fields: Partial<Record<string, string>>): string {
  return template
    .replace(/\{(\w+)\}/gu, (whole, name: string) => {
      if (!knownFields.has(name)) return whole;
      const value = (fields[name] ?? '').replaceAll(EMPTY, '').replace(/\s+/gu, ' ').trim();
      return value === '' ? EMPTY : value;
    })
    .replace(emptyAfterSeparator, '')
    .replace(emptyAtLineStart, '$1')
    .replaceAll(EMPTY, '')
    .trim();
}

/** The first word of a contact's name, used for `{firstName}`. */
export function firstNameOf(name: string | undefined): string | undefined {
  const first = name?.trim().split(/\s+/u)[0];
  return first === undefined || first === '' ? undefined : first;
}

/** Whole years an offset spans, for `{years}` in anniversary texts. */
function wholeYears(offset: CadenceOffset): number {
  if ('years' in offset) return offset.years;
  if ('months' in offset) return Math.floor(offset.months / 12);
  return Math.floor(offset.days / 365);
}

function defined<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value.trim() !== ''),
  ) as Partial<Record<keyof T, string>>;
}

/** The UTC calendar day (`YYYY-MM-DD`) of an instant: the day a drip sweep finds a step due on. */
export { utcDay } from './utc-day';
