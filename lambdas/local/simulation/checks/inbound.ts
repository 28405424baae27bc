import type { LoggedMessage, OptOutFact, OutboxSend, PhoneText } from '../snapshot-types';
import type { LedgerFact } from '../spec/consent';
import { kindBySid, type Violation } from './violation';

/** RULES §2: a keyword is answered within minutes. */
const REPLY_WINDOW_MS = 5 * 60_000;
// RULES §2: START/YES/UNSTOP and HELP/INFO are answered once, by whoever answers them (Twilio
// on a long code, or ConsentLine) — the whole message, case and surrounding space ignored.
const ANSWERED_ONCE = new Set(['START', 'YES', 'UNSTOP', 'HELP', 'INFO']);

/**
 * At most one reply per START/YES/UNSTOP/HELP/INFO a phone sent: every text the phone received
 * from that number within 5 minutes of the keyword (and before its next text there) is a reply,
 * Twilio's own included. Each keyword answered more than once is one breach.
 */
export function extraKeywordReplies(
  phoneTexts: readonly PhoneText[],
  outbox: readonly OutboxSend[],
  messages: readonly LoggedMessage[],
): Violation[] {
  const kindOf = kindBySid(messages);
  const received = groupBy(outbox, (send) => `${send.from}|${send.to}`);
  const sent = groupBy(phoneTexts, (text) => `${text.to}|${text.from}`);
  const breaches: Violation[] = [];
  for (const [key, texts] of sent) {
    const sorted = [...texts].sort((a, b) => a.at.localeCompare(b.at));
    for (const [index, text] of sorted.entries()) {
      if (!ANSWERED_ONCE.has(text.body.trim().toUpperCase())) continue;
      const fromMs = Date.parse(text.at);
      const nextMs = sorted[index + 1] === undefined ? Infinity : Date.parse(sorted[index + 1]!.at);
      const untilMs = Math.min(fromMs + REPLY_WINDOW_MS, nextMs);
      const replies = (received.get(key) ?? []).filter((send) => {
        const atMs = Date.parse(send.at);
        if (atMs < fromMs || atMs >= untilMs) return false;
        return send.origin === 'keyword' || kindOf.get(send.sid) === 'keyword_reply';
      });
      if (replies.length <= 1) continue;
      breaches.push({
        kind: 'extraKeywordReplies',
        phone: text.from,
        at: text.at,
        sid: replies[1]!.sid,
        detail: `"${text.body}" answered ${replies.length} times (${replies.map((r) => r.origin ?? 'api').join(', ')})`,
      });
    }
  }
  return breaches;
}

const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

/**
 * No inbound text lost (RULES §2): every text a phone sent is in the message log, and every
 * STOP or revocation in words is followed by an opt-out or a revocation recorded for that phone
 * — unless the phone's earlier opt-out still stands (no START/YES/UNSTOP from it since).
 */
export function lostInbound(
  phoneTexts: readonly PhoneText[],
  messages: readonly LoggedMessage[],
  optOuts: readonly OptOutFact[],
  ledger: readonly LedgerFact[],
): Violation[] {
  const logged = new Set(messages.filter((m) => m.kind === 'inbound').map((m) => m.messageId));
  const optOutTimes = new Map<string, number[]>();
  const add = (phone: string, recordedAt: string) =>
    optOutTimes.set(phone, [...(optOutTimes.get(phone) ?? []), Date.parse(recordedAt)]);
  for (const record of optOuts) add(record.phone, record.recordedAt);
  for (const event of ledger) if (event.type === 'revocation') add(event.phone, event.recordedAt);
  const optInTimes = new Map<string, number[]>();
  for (const text of phoneTexts) {
    if (!OPT_IN.has(text.body.trim().toUpperCase())) continue;
    optInTimes.set(text.from, [...(optInTimes.get(text.from) ?? []), Date.parse(text.at)]);
  }
  const breaches: Violation[] = [];
  for (const text of phoneTexts) {
    const base = { kind: 'inboundLost' as const, phone: text.from, at: text.at, sid: text.sid };
    if (!logged.has(`inbound_${text.sid}`)) {
      breaches.push({ ...base, detail: `"${text.body}" to ${text.to} never reached the message log` });
      continue;
    }
    if (!text.optOut) continue;
    const sentMs = Date.parse(text.at);
    const recorded = optOutTimes.get(text.from) ?? [];
    if (recorded.some((recordedMs) => recordedMs >= sentMs)) continue;
    // Opted out already, and no START/YES since: the opt-out still stands, nothing new to record.
    const standing = Math.max(-Infinity, ...recorded.filter((recordedMs) => recordedMs < sentMs));
    const optedInSince = (optInTimes.get(text.from) ?? []).some((ms) => ms > standing && ms < sentMs);
    if (standing > -Infinity && !optedInSince) continue;
    breaches.push({
      ...base,
      detail: `"${text.body}" to ${text.to}: no opt-out or revocation recorded after it`,
    });
  }
  return breaches;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
