import { capRules, type RecipientCap } from '../rules/caps';
import type { Purpose, RecipientLocation } from './types';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Read once: a module loader that keeps imports live would go through an accessor per read.
const { windowHours, recipient: recipientCaps, agentDaily: agentCap } = capRules;
const windowMs = windowHours * HOUR_MS;

/** A text already handed to Twilio for this recipient, by any agent. */
export type RecentSend = { at: Date; purpose: Purpose };

export type CapQuery = {
  at: Date;
  purpose: Purpose;
  location: RecipientLocation;
  /** Sends to this phone across all agents within at least the last cap window. */
  recentSends: readonly RecentSend[];
  /** Texts this agent has sent so far on the UTC day of `at`. */
  agentSendsToday: number;
};

export type CapVerdict = {
  /** Earliest instant the caps allow the text; equals `at` when nothing is capped. */
  freeAt: Date;
  reasons: string[];
};

/**
 * Frequency caps (RULES §3, §5): a capped text is held until the rolling window frees a slot,
 * never dropped. Replies to the contact's own keyword are exempt.
 */
export function evaluateCaps(query: CapQuery): CapVerdict {
  const atMs = query.at.getTime();
  if (query.purpose === 'confirmation') return { freeAt: query.at, reasons: [] };
  let freeAt = atMs;
  const reasons: string[] = [];

  for (const cap of recipientCaps) {
    if (!cap.purposes.includes(query.purpose)) continue;
    if (!cap.states.includes('*') && !query.location.states.some((state) => cap.states.includes(state)))
      continue;
    // Counted first without collecting: the gate asks on every text, and most are under the cap.
    let count = 0;
    for (const send of query.recentSends) if (counts(cap, send, atMs, windowMs)) count++;
    if (count < cap.max) continue;
    const counted: number[] = [];
    for (const send of query.recentSends)
      if (counts(cap, send, atMs, windowMs)) counted.push(send.at.getTime());
    counted.sort((a, b) => a - b);
    // The slot frees when the oldest send that keeps the count at the cap leaves the window.
    const slotFreesAt = counted[counted.length - cap.max]! + windowMs;
    freeAt = Math.max(freeAt, slotFreesAt);
    reasons.push(`${cap.label}: ${counted.length} in the last ${windowHours} h`);
  }

  if (agentCap.purposes.includes(query.purpose as 'automated') && query.agentSendsToday >= agentCap.max) {
    freeAt = Math.max(freeAt, (Math.floor(atMs / DAY_MS) + 1) * DAY_MS);
    reasons.push(`${agentCap.label}: ${query.agentSendsToday} of ${agentCap.max} today (UTC)`);
  }
  return { freeAt: freeAt === atMs ? query.at : new Date(freeAt), reasons };
}

/** Whether `send` counts toward `cap` at `atMs`: a capped purpose, inside the rolling window. */
function counts(cap: RecipientCap, send: RecentSend, atMs: number, windowMs: number): boolean {
  if (send.purpose === 'confirmation' || !cap.purposes.includes(send.purpose)) return false;
  const sentAt = send.at.getTime();
  return sentAt > atMs - windowMs && sentAt <= atMs;
}
