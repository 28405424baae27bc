import type { ConsentView } from '../../types';

/**
 * The consent view every contact response carries (the contract shared with the API): the
 * console shows it as the API says it, and only maps the badge code to its label.
 */
export type { ConsentView };
export type ConsentBadge = ConsentView['badge'];

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
