/**
 * Wall-clock reading of an instant in an IANA zone, for the independent checker. Written from
 * Intl alone: it shares nothing with the pipeline's own zone arithmetic.
 */
export type WallClock = {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Milliseconds since local midnight (a DST day still counts wall-clock time). */
  msOfDay: number;
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** What a clock on the wall in `zone` shows at `atMs`. */
export function wallClock(zone: string, atMs: number): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(atMs))) parts[part.type] = part.value;
  const hours = Number(parts.hour) % 24;
  const msOfDay =
    ((hours * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 +
    (((atMs % 1000) + 1000) % 1000);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    msOfDay,
  };
}

/** Intl's canonical name of a zone, or undefined when Intl does not know it. */
export function canonicalZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
