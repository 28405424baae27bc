import { weekdays } from '../../../../lambdas/rules/quiet-hours';
import type {
  ConsentStatus,
  ContentAnalysis,
  Purpose,
  RecipientLocation,
} from '../../../../lambdas/compliance/types';
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
  reasons: string[];
};

/** Each candidate zone's wall clock at `at`, e.g. `2026-11-23 21:30 mon`. */
export function describeLocalTimes(location: RecipientLocation, at: Date): { zone: string; local: string }[] {
  return location.zones.map((zone) => {
    const wall = wallTime(zone, at.getTime());
    return { zone, local: `${dateKey(wall)} ${clockText(wall.minuteOfDay)} ${weekdays[wall.weekday]}` };
  });
}
