import { randomUUID } from 'node:crypto';
import { blackoutProblems, type EmergencyBlackout } from '../compliance/blackout';
import { gateKeyOf, type BlackoutEndRecord, type BlackoutRecord, type StoredBlackout } from '../ports';
import { mapBounded } from './bounded';
import type { Deps } from './deps';
import { Conflict, Refused, notFound } from './errors';

/** Who declared or ended a blackout when the admin gives no name. */
export const DEFAULT_ADMIN_NAME = 'admin';

export type BlackoutDeclaration = {
  states: string[];
  /** ISO instants. */
  start: string;
  end: string;
  reason: string;
  by?: string;
};

export type BlackoutEnding = { reason: string; by?: string };

export type BlackoutStatus = 'active' | 'upcoming' | 'over';

/** A blackout as the admin API shows it: the declaration, its early end, and where it stands now. */
export type BlackoutView = StoredBlackout & {
  /** The instant it stops holding texts: the declared end, or the early end when that came first. */
  effectiveEnd: string;
  status: BlackoutStatus;
};

/** A blackout ended early, with how many texts it held went back to the queue. */
export type BlackoutEnded = BlackoutView & { requeued: number };

const DAY_MS = 86_400_000;
// A text held until a blackout's end is released at the next window after it: a night, a
// Sunday, a holiday weekend. A week past the declared end covers every such release.
const RELEASE_SLACK_MS = 7 * DAY_MS;
const REQUEUE_CONCURRENCY = 16;

export const newBlackoutId = (): string => `blk_${randomUUID().replaceAll('-', '')}`;

/**
 * Stores a state-of-emergency blackout (RULES §3) after checking every rule: states known, end
 * after start and not past, at most the longest period, a reason. 422 naming each field and rule;
 * nothing is written on a refusal. From its start, automated texts to recipients who may be in
 * those states are held until it ends (the gate reads it on every decision).
 */
export async function declareBlackout(
  deps: Pick<Deps, 'clock' | 'stores'>,
  declaration: BlackoutDeclaration,
): Promise<BlackoutView> {
  const now = deps.clock.now();
  const states = [...new Set(declaration.states.map((state) => state.trim().toUpperCase()))].sort();
  const draft = {
    states,
    start: new Date(declaration.start),
    end: new Date(declaration.end),
    reason: declaration.reason.trim(),
  };
  const issues = blackoutProblems(draft).map((problem) => ({
    path: `body.${problem.path}`,
    message: problem.message,
  }));
  if (issues.length === 0 && draft.end.getTime() <= now.getTime()) {
    issues.push({ path: 'body.end', message: `must be in the future (now ${now.toISOString()})` });
  }
  if (issues.length > 0) {
    throw new Refused(
      'invalid_blackout',
      issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
      { issues },
    );
  }
  const record: BlackoutRecord = {
    blackoutId: newBlackoutId(),
    states,
    start: draft.start.toISOString(),
    end: draft.end.toISOString(),
    reason: draft.reason,
    createdAt: now.toISOString(),
    createdBy: declaration.by ?? DEFAULT_ADMIN_NAME,
  };
  await deps.stores.blackouts.declare(record);
  return viewOf(record, now);
}

/**
 * Every blackout, those in force first (soonest end first), then those to come (soonest start
 * first), then those over (latest end first); `activeNow` keeps only those in force.
 */
export async function listBlackouts(
  deps: Pick<Deps, 'clock' | 'stores'>,
  options: { activeNow?: boolean } = {},
): Promise<BlackoutView[]> {
  const now = deps.clock.now();
  const stored = await deps.stores.blackouts.list(options.activeNow ? now.toISOString() : undefined);
  const views = stored.map((blackout) => viewOf(blackout, now));
  const order: Record<BlackoutStatus, number> = { active: 0, upcoming: 1, over: 2 };
  const sortKey = (view: BlackoutView): number =>
    view.status === 'active'
      ? Date.parse(view.effectiveEnd)
      : view.status === 'upcoming'
        ? Date.parse(view.start)
        : -Date.parse(view.effectiveEnd);
  return views
    .filter((view) => !options.activeNow || view.status === 'active')
    .sort((a, b) => order[a.status] - order[b.status] || sortKey(a) - sortKey(b));
}

/**
 * Ends a blackout early, from now: a record of its own with the reason, next to the declaration,
 * which is never changed. Texts it holds go back on the send queue at once and are decided again
 * (sent now, or held to the next window or another blackout); a text the queue missed still goes
 * at its booked release. 422 without a reason; 404 for an unknown id; 409 when it was ended
 * already or is over.
 */
export async function endBlackout(
  deps: Pick<Deps, 'clock' | 'stores' | 'queue'>,
  blackoutId: string,
  ending: BlackoutEnding,
): Promise<BlackoutEnded> {
  const now = deps.clock.now();
  if (ending.reason.trim() === '') {
    const issue = { path: 'body.reason', message: 'must not be empty' };
    throw new Refused('invalid_blackout_end', `${issue.path}: ${issue.message}`, { issues: [issue] });
  }
  const found = (await deps.stores.blackouts.list()).find((blackout) => blackout.blackoutId === blackoutId);
  if (found === undefined) throw notFound(`no blackout ${blackoutId}`);
  if (found.ended !== undefined) {
    throw new Conflict('already_ended', `blackout ${blackoutId} was ended at ${found.ended.endedAt}`);
  }
  if (Date.parse(found.end) <= now.getTime()) {
    throw new Conflict('already_over', `blackout ${blackoutId} ended at ${found.end}`);
  }
  const end: BlackoutEndRecord = {
    blackoutId,
    endedAt: now.toISOString(),
    reason: ending.reason.trim(),
    endedBy: ending.by ?? DEFAULT_ADMIN_NAME,
  };
  if (!(await deps.stores.blackouts.end(found, end))) {
    throw new Conflict('already_ended', `blackout ${blackoutId} was ended meanwhile`);
  }
  const requeued = await requeueHeldBy(deps, found);
  return { ...viewOf({ ...found, ended: end }, now), requeued };
}

/**
 * Puts back on the queue every held text whose last decision waited for `blackout`, read from
 * the sparse release index (never a Scan). The worker decides again with fresh reads; the
 * deduplication id names the blackout, so a retried end does not queue a text twice.
 */
async function requeueHeldBy(
  deps: Pick<Deps, 'stores' | 'queue'>,
  blackout: BlackoutRecord,
): Promise<number> {
  const before = new Date(Date.parse(blackout.end) + RELEASE_SLACK_MS).toISOString();
  const held = (await deps.stores.messages.listHeldBefore(before)).filter(
    (message) =>
      // The index is eventually consistent: a message that left `held` a moment ago may still show.
      message.status === 'held' &&
      (message.receipt?.blackouts ?? []).some((note) => note.id === blackout.blackoutId),
  );
  await mapBounded(held, REQUEUE_CONCURRENCY, (message) =>
    deps.queue.enqueue({
      messageId: message.messageId,
      phone: message.phone,
      dedupSuffix: `blackout-end#${blackout.blackoutId}`,
      gate: gateKeyOf(message),
    }),
  );
  return held.length;
}

/** The blackouts as the gate reads them: each ends at its early end when it has one. */
export function gateBlackouts(stored: readonly StoredBlackout[]): EmergencyBlackout[] {
  return stored.map((blackout) => ({
    id: blackout.blackoutId,
    states: blackout.states,
    start: new Date(blackout.start),
    end: new Date(effectiveEndOf(blackout)),
    reason: blackout.reason,
  }));
}

function effectiveEndOf(blackout: StoredBlackout): string {
  const ended = blackout.ended?.endedAt;
  return ended !== undefined && ended < blackout.end ? ended : blackout.end;
}

function viewOf(blackout: StoredBlackout, now: Date): BlackoutView {
  const effectiveEnd = effectiveEndOf(blackout);
  const at = now.getTime();
  const status: BlackoutStatus =
    Date.parse(effectiveEnd) <= at ? 'over' : Date.parse(blackout.start) > at ? 'upcoming' : 'active';
  return { ...blackout, effectiveEnd, status };
}
