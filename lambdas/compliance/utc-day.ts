/**
 * The UTC calendar day of an instant, `YYYY-MM-DD`: the key of daily caps and the drip sweep's
 * day. A module of its own so storage code can use it without pulling the rules data in.
 */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
