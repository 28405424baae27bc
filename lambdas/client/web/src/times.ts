import { formatsByZone } from '../../../compliance/zone-formats';

/** The browser's own zone: the agent's local time. */
export const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

// Display only, by Intl's own formatting: the console converts no offsets, so it needs none of the
// gate's cached zone arithmetic (lambdas/compliance/zone-clock.ts) in its bundle.
const formatFor = formatsByZone({
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** `Tue, Dec 1, 2026, 9:30 AM EST (America/New_York)`: the instant in `zone`, zone named. */
export function inZone(iso: string, zone: string = viewerZone): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return `${formatFor(zone).format(date)} (${zone})`;
  } catch {
    return `${formatFor('UTC').format(date)} (UTC)`;
  }
}
