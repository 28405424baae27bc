import { cadenceFields, type Cadence, type CadenceField, type CadenceOffset } from '../rules/cadence';

const DAY_MS = 86_400_000;

/** Shards of the due index per day: enough that one day's steps never form a hot partition. */
export const DUE_SHARDS = 16;

/** One drip step of a contact: when it falls due and its personalised text. */
export type PlannedStep = { step: number; dueAt: Date; body: string };

export type CadencePlanInput = {
  cadence: Pick<Cadence, 'steps' | 'fallbacks'>;
  enrolledAt: Date;
  contact: { name?: string; address?: string };
  agent: { name: string; brokerage?: string };
};

/**
 * The due instant of an offset from `enrolledAt`: days are 24 h, months and years are calendar
 * units in UTC at the same time of day, clamped to the last day of a shorter month
 * (31 Jan + 1 month → 28/29 Feb). The gate later moves it into the recipient's window.
 */
export function dueAtFor(enrolledAt: Date, offset: CadenceOffset): Date {
  const at = enrolledAt.getTime();
  if (Number.isNaN(at)) throw new RangeError('enrolledAt is an invalid date');
  if ('days' in offset) return new Date(at + offset.days * DAY_MS);
  return addCalendarMonths(enrolledAt, 'months' in offset ? offset.months : offset.years * 12);
}

/**
 * Every step of `cadence` for one contact, in order, with its due instant and rendered text.
 * The text is the agent-facing body only: the gate adds the sender prefix and opt-out footer.
 *
 * @example
 * planCadence({ cadence: defaultCadence, enrolledAt, contact: { name: 'Maria Lopez' }, agent })[0]
 * // { step: 1, dueAt: <enrolledAt + 7 days>, body: 'Hi Maria, it's Dana Reyes. …' }
 */
export function planCadence({ cadence, enrolledAt, contact, agent }: CadencePlanInput): PlannedStep[] {
  return cadence.steps.map(({ step, offset, template }) => {
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
    return { step, dueAt: dueAtFor(enrolledAt, offset), body: renderTemplate(template, fields) };
  });
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

/** The UTC calendar day (`YYYY-MM-DD`) of an instant: the first half of a due shard. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The due-index partition of one UTC day and shard number, e.g. `2027-03-14#07`. */
export function dueShardKey(day: string, shard: number): string {
  return `${day}#${String(shard).padStart(2, '0')}`;
}

/**
 * The due-index partition of a drip step: its UTC due day and a shard from a stable hash of
 * the message id, so one day's steps spread over `shards` partitions and a sweep finds them
 * by querying each `(day, shard)` instead of scanning.
 *
 * @example dueShard(new Date('2027-03-14T15:00:00Z'), 'msg_1f…') // '2027-03-14#11'
 */
export function dueShard(dueAt: Date, messageId: string, shards = DUE_SHARDS): string {
  if (!Number.isInteger(shards) || shards < 1 || shards > 100) {
    throw new RangeError('shards must be an integer from 1 to 100');
  }
  return dueShardKey(utcDay(dueAt), fnv1a(messageId) % shards);
}

/** FNV-1a (32 bit): stable across processes and releases, unlike anything seeded. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function addCalendarMonths(from: Date, months: number): Date {
  const date = new Date(from.getTime());
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date;
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
