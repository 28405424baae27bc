/**
 * How the CLI shows things to a person: coloured status badges only on a terminal (never in a
 * pipe or a file, never with NO_COLOR, https://no-color.org), and times in the recipient's own
 * zone unless `--utc` asks for UTC.
 */
import type { CliIo } from './io';
import { isTty } from './io';

export type Style = { color: boolean; utc: boolean };

const ANSI = { green: 32, yellow: 33, red: 31, cyan: 36, gray: 90 } as const;
type Tone = keyof typeof ANSI;

// What each status or badge means to the agent: may go (green), later (yellow), never (red).
const TONES: Record<string, Tone> = {
  send: 'green',
  sent: 'green',
  delivered: 'green',
  queued: 'cyan',
  scheduled: 'cyan',
  consented: 'green',
  hold: 'yellow',
  held: 'yellow',
  oral_only: 'yellow',
  ebr_only: 'yellow',
  block: 'red',
  blocked: 'red',
  failed: 'red',
  revoked: 'red',
  opted_out: 'red',
  no_consent: 'gray',
  cancelled: 'gray',
};

/** The style for this invocation: colour when stdout is a terminal and NO_COLOR is unset. */
export function styleFor(io: CliIo, opts: { utc?: boolean }): Style {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return { color: isTty(io.stdout) && !noColor && io.env.TERM !== 'dumb', utc: opts.utc === true };
}

/** `text` (a status or badge) coloured by what it means, padded to `width` outside the colour codes. */
export function badge(style: Style, text: string, width = 0): string {
  const padded = text.padEnd(width);
  const tone = TONES[text];
  if (!style.color || tone === undefined) return padded;
  return `\u001b[${ANSI[tone]}m${text}\u001b[0m${padded.slice(text.length)}`;
}

/**
 * An instant as the recipient lives it, e.g. `2026-03-11 08:00 EDT (America/New_York)`, or in
 * UTC (`2026-03-11 12:00 UTC`) with `--utc` or when the zone is not known.
 */
export function showTime(style: Style, iso: string, zone?: string): string {
  const at = new Date(iso);
  const timeZone = style.utc || zone === undefined ? 'UTC' : zone;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const text = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
  return timeZone === 'UTC' ? text.replace(/ UTC$/, ' UTC') : `${text} (${timeZone})`;
}
