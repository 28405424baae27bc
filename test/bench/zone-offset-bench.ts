import { getTimezoneOffset } from 'date-fns-tz';
import { offsetMinutes } from '../../lambdas/compliance/zone-clock';

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Phoenix',
  'Pacific/Honolulu',
];
const YEAR_MS = 365 * 86_400_000;
const START = Date.UTC(2026, 0, 1);

export type ZoneOffsetFigures = { zoneClockPerSecond: number; dateFnsTzPerSecond: number };

/** Offsets per second of one way of computing them, over instants spread across a year. */
function offsetsPerSecond(offset: (zone: string, instantMs: number) => number, calls: number): number {
  let checksum = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++)
    checksum += offset(ZONES[i % ZONES.length] ?? 'UTC', START + ((i * 7_919_000) % YEAR_MS));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (Number.isNaN(checksum)) throw new Error('an offset was not a number');
  return Math.round(calls / seconds);
}

/**
 * The gate's cached zone offsets against date-fns-tz, interleaved (A B A B …) so both see the same
 * machine load; the best round of each is kept (warm JIT).
 */
export function benchZoneOffsets(rounds = 4, calls = 100_000): ZoneOffsetFigures {
  const figures: ZoneOffsetFigures = { zoneClockPerSecond: 0, dateFnsTzPerSecond: 0 };
  for (let round = 0; round < rounds; round++) {
    figures.zoneClockPerSecond = Math.max(figures.zoneClockPerSecond, offsetsPerSecond(offsetMinutes, calls));
    const viaDateFnsTz = (zone: string, instantMs: number) =>
      getTimezoneOffset(zone, new Date(instantMs)) / 60_000;
    figures.dateFnsTzPerSecond = Math.max(
      figures.dateFnsTzPerSecond,
      offsetsPerSecond(viaDateFnsTz, calls / 10),
    );
  }
  return figures;
}
