import { weekdays } from '../rules/quiet-hours';
import type { BlackoutNote } from './blackout';
import type { NumberCheckReceipt } from './number-check';
import type { ConsentStatus, ContentAnalysis, Purpose, RecipientLocation } from './types';
import { clockText, dateKey, wallTime } from './zone-clock';

/**
 * Why a text went, waited or was refused — stored with the message for as long as the log is
 * kept (RULES §6): the consent relied on, where the recipient was taken to be and their local
 * time, the rule versions, and every reason.
 */
export type ComplianceReceipt = {
  verdict: 'send' | 'hold' | 'block';
  purpose: Purpose;
  decidedAt: string;
  agentId: string;
  phone: string;
  /** Shared by every receipt of a deployment: never mutate it. */
  rulesVersions: readonly string[];
  consent: {
    status: ConsentStatus | 'exempt';
    permits: boolean;
    reliedOn?: string;
    ebrExpiresAt?: string;
    note?: string;
  };
  recipient: { states: string[]; zones: string[]; localTimes: { zone: string; local: string }[] };
  window: { allowed: boolean; nextAllowedAt: string | null };
  capsFreeAt: string;
  content: ContentAnalysis;
  releaseAt?: string;
  /** The state-of-emergency blackouts a held text waits for (RULES §3); absent when none does. */
  blackouts?: BlackoutNote[];
  /** The reassigned-number check an automated text went (or waited) on. */
  numberCheck?: NumberCheckReceipt;
  reasons: string[];
};

const MINUTE_MS = 60_000;
const MAX_CACHED_MINUTES = 10_000;

// A zone's wall clock text changes once a minute (offsets are whole minutes), and decisions come
// many to the minute: each text is built once per zone and minute.
const localTexts = new Map<string, Map<number, string>>();

/** Each candidate zone's wall clock at `at`, e.g. `2026-11-23 21:30 mon`. */
export function describeLocalTimes(location: RecipientLocation, at: Date): { zone: string; local: string }[] {
  const atMs = at.getTime();
  const minute = Math.floor(atMs / MINUTE_MS);
  return location.zones.map((zone) => ({ zone, local: localText(zone, atMs, minute) }));
}

function localText(zone: string, atMs: number, minute: number): string {
  let texts = localTexts.get(zone);
  if (texts === undefined) localTexts.set(zone, (texts = new Map()));
  let text = texts.get(minute);
  if (text === undefined) {
    const wall = wallTime(zone, atMs);
    text = `${dateKey(wall)} ${clockText(wall.minuteOfDay)} ${weekdays[wall.weekday]}`;
    if (texts.size >= MAX_CACHED_MINUTES) texts.clear();
    texts.set(minute, text);
  }
  return text;
}
