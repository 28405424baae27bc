import { isPlatformHoliday, isStateHoliday } from './holidays';
import type { Candidates } from './location';
import { FEDERAL_WINDOW, STATE_WINDOWS, UNKNOWN_WINDOW, UNKNOWN_ZONES, type StateWindow } from './windows';
import { wallClock } from './zone-clock';

export type SendPurpose = 'automated' | 'manual';

/** Why a send broke the timing rules, with the local time that shows it. */
export type TimingBreach = {
  rule: 'holiday' | 'window';
  zone: string;
  /** `YYYY-MM-DD HH:MM` in `zone`. */
  localTime: string;
  detail: string;
};

const MINUTE_MS = 60_000;

function clockText(msOfDay: number): string {
  const minutes = Math.floor(msOfDay / MINUTE_MS);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The first timing rule a send at `atMs` broke in any candidate zone under any candidate state's
 * row (RULES §3), or undefined when every zone and every row allowed it. Holidays come first:
 * a holiday send is reported as one even when the hour was also wrong.
 */
export function timingBreach(
  candidates: Candidates,
  atMs: number,
  purpose: SendPurpose,
): TimingBreach | undefined {
  const named: Array<[string, StateWindow]> =
    candidates.states.length === 0
      ? [['unknown location', UNKNOWN_WINDOW]]
      : [
          ['federal', FEDERAL_WINDOW],
          ...candidates.states.flatMap((state): Array<[string, StateWindow]> => {
            const row = STATE_WINDOWS[state];
            return row === undefined ? [] : [[state, row]];
          }),
        ];
  const zones = candidates.zones.length === 0 ? UNKNOWN_ZONES : candidates.zones;
  let outside: TimingBreach | undefined;
  for (const zone of zones) {
    const wall = wallClock(zone, atMs);
    const localTime = `${wall.date} ${clockText(wall.msOfDay)}`;
    if (purpose === 'automated' && isPlatformHoliday(wall.date)) {
      return { rule: 'holiday', zone, localTime, detail: 'platform holiday (automated texts)' };
    }
    for (const [label, row] of named) {
      if (row.noHolidays && label !== 'unknown location' && isStateHoliday(label, wall.date)) {
        return { rule: 'holiday', zone, localTime, detail: `${label} public holiday` };
      }
      const span = row.days[wall.weekday];
      const minutes = wall.msOfDay / MINUTE_MS;
      if (span === undefined) {
        outside ??= { rule: 'window', zone, localTime, detail: `${label}: no texts on this weekday` };
      } else if (minutes < span[0] || minutes >= span[1]) {
        outside ??= {
          rule: 'window',
          zone,
          localTime,
          detail: `${label}: outside ${clockText(span[0] * MINUTE_MS)}-${clockText(span[1] * MINUTE_MS)}`,
        };
      }
    }
  }
  return outside;
}
