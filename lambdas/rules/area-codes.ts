import * as z from 'zod';
import data from './data/area-codes.json';
import { loadRules, versioned } from './schema';

/** USPS codes of the places the pipeline locates: the 50 states, DC and the inhabited territories. */
export const uspsCodes: ReadonlySet<string> = new Set(
  (
    'AK AL AR AS AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MP MS MT ' +
    'NC ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY'
  ).split(' '),
);
export const uspsCode = z
  .string()
  .refine((code) => uspsCodes.has(code), 'not a USPS state or territory code');

// The tables name a few dozen zones thousands of times; Intl answers each name once.
const zoneValidity = new Map<string, boolean>();

/** Whether Intl can evaluate the zone: every zone in the location tables must, or no window can be computed. */
export function isIanaZone(zone: string): boolean {
  const known = zoneValidity.get(zone);
  if (known !== undefined) return known;
  let valid = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    valid = false;
  }
  if (zoneValidity.size < 1000) zoneValidity.set(zone, valid);
  return valid;
}

export const ianaZone = z.string().refine(isIanaZone, 'unknown IANA zone');

const areaCode = z.string().regex(/^[2-9]\d{2}$/, 'NANP area code');

const schema = versioned.extend({
  generatedBy: z.string().min(1),
  corrections: z.array(
    z.object({
      areaCode,
      zones: z.array(ianaZone).min(1),
      libraryZones: z.array(z.string()),
      reason: z.string().min(1),
    }),
  ),
  areaCodes: z.record(
    areaCode,
    z.object({ states: z.array(uspsCode).min(1), zones: z.array(ianaZone).min(1) }),
  ),
});

/** Geographic NANP area code → USPS state(s) and every IANA zone it covers (RULES §3), with hand corrections. */
export const areaCodes = loadRules('area-codes', schema, data);
