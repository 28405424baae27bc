/**
 * The consent view every contact response carries (the contract shared with the API): the
 * console shows it as the API says it, and only maps the badge code to its label.
 */
export type ConsentBadge = 'consented' | 'oral_only' | 'ebr_only' | 'no_consent' | 'revoked' | 'opted_out';

export type ConsentView = {
  badge: ConsentBadge;
  permits: { automated: boolean; manual: boolean; consentRequest: boolean };
  since?: string;
  until?: string;
  reliedOn?: { eventId: string; type: string; method?: string; at: string };
  reason: string;
  note?: string;
};

/** The words on a badge; exactly these, so agents learn one vocabulary. */
export const badgeLabels: Record<ConsentBadge, string> = {
  consented: 'Consented',
  oral_only: 'Oral consent only',
  ebr_only: 'EBR only',
  no_consent: 'No consent',
  revoked: 'Revoked',
  opted_out: 'Opted out',
};

export const badgeCodes = Object.keys(badgeLabels) as ConsentBadge[];

/** The consent of an API answer, or undefined where the API sent none in this shape. */
export function consentOf(value: { consent?: unknown } | undefined): ConsentView | undefined {
  const consent = value?.consent as Partial<ConsentView> | undefined;
  return consent && typeof consent.badge === 'string' ? (consent as ConsentView) : undefined;
}
