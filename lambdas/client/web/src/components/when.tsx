import { inZone, viewerZone } from '../times';

/**
 * An instant in the contact's local time and the agent's, each zone named; one line when
 * they are the same zone or the contact's is unknown.
 */
export function When({ iso, contactZone }: { iso?: string; contactZone?: string }) {
  if (!iso) return null;
  const mine = inZone(iso, viewerZone);
  if (contactZone === undefined || contactZone === viewerZone) return <time dateTime={iso}>{mine}</time>;
  return (
    <time dateTime={iso}>
      {inZone(iso, contactZone)} for the contact · {mine} for you
    </time>
  );
}
