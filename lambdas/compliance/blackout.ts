import { uspsCodes } from '../rules/area-codes';
import { blackoutRules } from '../rules/blackouts';
import { isoString } from './iso-time';
import type { Purpose, RecipientLocation } from './types';

const DAY_MS = 86_400_000;

/**
 * A state-of-emergency blackout as the gate reads it (RULES §3): while it lasts, automated texts
 * to a recipient who may be in one of its states are held until it ends.
 */
export type EmergencyBlackout = {
  id: string;
  /** USPS codes. */
  states: readonly string[];
  start: Date;
  /** Exclusive: the declared end, or the instant an admin ended it early when that came first. */
  end: Date;
  reason: string;
};

/** How a receipt names a blackout that held the text. */
export type BlackoutNote = { id: string; states: string[]; reason: string; end: string };

/** A declaration as an admin sends it, before it is stored. */
export type BlackoutDraft = { states: readonly string[]; start: Date; end: Date; reason: string };

export type BlackoutProblem = { path: string; message: string };

/**
 * Why a declaration may not be stored, one problem per field and rule (empty when it may):
 * at least one state, each a USPS state or territory code; an end after the start; at most
 * `maxDays` days (a longer emergency is declared again when it is extended); a reason.
 *
 * @example blackoutProblems({ states: ['LA'], start, end: start, reason: 'Hurricane Ida' })
 * // → [{ path: 'end', message: 'must be after start (…)' }]
 */
export function blackoutProblems(draft: BlackoutDraft): BlackoutProblem[] {
  const problems: BlackoutProblem[] = [];
  if (draft.states.length === 0) problems.push({ path: 'states', message: 'must name at least one state' });
  draft.states.forEach((state, index) => {
    if (!uspsCodes.has(state)) {
      problems.push({ path: `states.${index}`, message: `"${state}" is not a USPS state or territory code` });
    }
  });
  const startMs = draft.start.getTime();
  const endMs = draft.end.getTime();
  if (endMs <= startMs) {
    problems.push({ path: 'end', message: `must be after start (${isoString(startMs)})` });
  } else if (endMs - startMs > blackoutRules.maxDays * DAY_MS) {
    problems.push({
      path: 'end',
      message: `the period may last at most ${blackoutRules.maxDays} days (declare it again to extend it)`,
    });
  }
  if (draft.reason.trim() === '') problems.push({ path: 'reason', message: 'must not be empty' });
  return problems;
}

/**
 * The blackouts that bind a text of `purpose` to a recipient at `location`: those of every
 * candidate state (the union rule, RULES §3), and all of them when no state is known.
 */
export function bindingBlackouts(
  blackouts: readonly EmergencyBlackout[],
  location: RecipientLocation,
  purpose: Purpose,
): EmergencyBlackout[] {
  if (blackouts.length === 0 || !blackoutRules.appliesTo.includes(purpose)) return [];
  const unknown = location.states.length === 0;
  if (unknown && blackoutRules.unknownLocation === 'unaffected') return [];
  return blackouts.filter(
    (blackout) =>
      blackout.end.getTime() > blackout.start.getTime() &&
      (unknown || blackout.states.some((state) => location.states.includes(state))),
  );
}

/** Whether `blackout` is in force at `atMs` (its start included, its end not). */
export function inForce(blackout: EmergencyBlackout, atMs: number): boolean {
  return blackout.start.getTime() <= atMs && atMs < blackout.end.getTime();
}

/**
 * The first instant ≥ `fromMs` at which none of `binding` is in force, with the blackouts
 * waited for. Back-to-back or overlapping blackouts are waited for one after the other.
 */
export function clearOfBlackouts(
  binding: readonly EmergencyBlackout[],
  fromMs: number,
): { clearMs: number; waitedFor: EmergencyBlackout[] } {
  let clearMs = fromMs;
  const waitedFor: EmergencyBlackout[] = [];
  // Each pass moves past at least one end, and a blackout left behind cannot bind again.
  for (let moved = true; moved;) {
    moved = false;
    for (const blackout of binding) {
      if (!inForce(blackout, clearMs)) continue;
      clearMs = blackout.end.getTime();
      if (!waitedFor.includes(blackout)) waitedFor.push(blackout);
      moved = true;
    }
  }
  return { clearMs, waitedFor };
}

/** The receipt's line for a blackout that holds a text. */
export function blackoutReason(blackout: EmergencyBlackout): string {
  return (
    `state of emergency blackout ${blackout.id} (${blackout.states.join(', ')}) until ` +
    `${isoString(blackout.end.getTime())}: ${blackout.reason}`
  );
}

/** A blackout as its receipt names it. */
export function blackoutNote(blackout: EmergencyBlackout): BlackoutNote {
  return {
    id: blackout.id,
    states: [...blackout.states],
    reason: blackout.reason,
    end: isoString(blackout.end.getTime()),
  };
}
