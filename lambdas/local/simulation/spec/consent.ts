/**
 * Consent as the checker reads RULES §1, from the raw ledger and opt-out records: what was on
 * record at the instant of a send, and whether it permitted that send.
 */
export type LedgerFact = {
  agentId: string;
  phone: string;
  channel: string;
  type: string;
  at: string;
  recordedAt: string;
  method?: string;
};

export type OptOutFact = { phone: string; at: string; recordedAt: string; source: string; agentId?: string };

export type ConsentReading =
  | { permitted: true }
  /** `blocked`: consent would have permitted it, but a revocation or opt-out outlasted it. */
  | { permitted: false; reason: 'blocked' | 'no_consent'; detail: string };

/** RULES §1: these are never express written consent, whatever the record says. */
const NOT_CONSENT = new Set([
  'public_record',
  'business_card',
  'open_house_sheet',
  'social_like',
  'referrer_handoff',
]);
// RULES §1: a closing opens an 18-month relationship.
const CLOSING_MONTHS = 18;
const INQUIRY_MONTHS = 3;

/** `at` plus calendar months in UTC, clamped to the end of a shorter month (the short, safe side). */
export function plusMonths(atMs: number, months: number): number {
  const date = new Date(atMs);
  const day = date.getUTCDate();
  const target = new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      1,
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime();
}

/**
 * Whether `agentId` could text `phone` for `purpose` at `atMs` (RULES §1): consent events count
 * once recorded (at or before the send); revocations and opt-outs count once recorded strictly
 * before it. Automated texts need SMS express written consent later than the latest block; a
 * manual text may also rest on oral consent, an inquiry EBR (3 months) or a closing EBR (18 months
 * from the closing) later than the latest block.
 *
 * @param ledger this agent's events for this phone
 * @param optOuts the phone's global opt-outs
 */
export function readConsent(
  ledger: readonly LedgerFact[],
  optOuts: readonly OptOutFact[],
  atMs: number,
  purpose: 'automated' | 'manual',
): ConsentReading {
  const sms = ledger.filter((event) => event.channel === 'sms' && Date.parse(event.at) <= atMs);
  const blocks = [
    ...sms.filter((event) => event.type === 'revocation' && Date.parse(event.recordedAt) < atMs),
    ...optOuts.filter((record) => Date.parse(record.recordedAt) < atMs && Date.parse(record.at) <= atMs),
  ];
  const blockedAt = Math.max(Number.NEGATIVE_INFINITY, ...blocks.map((block) => Date.parse(block.at)));
  const grants = sms.filter((event) => {
    if (Date.parse(event.recordedAt) > atMs) return false;
    if (event.type === 'express_written') return !NOT_CONSENT.has(event.method ?? '');
    if (purpose !== 'manual') return false;
    if (event.type === 'express_oral') return true;
    if (event.type === 'ebr_inquiry') return atMs < plusMonths(Date.parse(event.at), INQUIRY_MONTHS);
    if (event.type === 'ebr_transaction') return atMs < plusMonths(Date.parse(event.at), CLOSING_MONTHS);
    return false;
  });
  if (grants.some((grant) => Date.parse(grant.at) > blockedAt)) return { permitted: true };
  if (grants.length > 0) {
    return {
      permitted: false,
      reason: 'blocked',
      detail: `revoked or opted out at ${new Date(blockedAt).toISOString()}`,
    };
  }
  return {
    permitted: false,
    reason: 'no_consent',
    detail: `no SMS consent permitting ${purpose} texts on record`,
  };
}
