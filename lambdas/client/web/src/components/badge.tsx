import { badgeLabels, type ConsentBadge } from '../consent-view';

/** The contact's consent badge, as the API decided it. */
export function Badge({ badge }: { badge?: ConsentBadge }) {
  if (badge === undefined) return <span class="badge">Unknown</span>;
  return <span class={`badge badge-${badge}`}>{badgeLabels[badge]}</span>;
}
