import * as z from 'zod';
import { ianaZone, uspsCode } from './area-codes';
import data from './data/zip3.json';
import { loadRules, versioned } from './schema';

/** Where a ZIP places its recipient; no states for ZIPs outside the US (APO/FPO, freely associated states). */
const postalLocation = z.object({ states: z.array(uspsCode), zones: z.array(ianaZone).min(1).optional() });
export type PostalLocation = z.infer<typeof postalLocation>;

const schema = versioned.extend({
  generatedBy: z.string().min(1),
  corrections: z.array(
    z.object({
      prefix: z.string().regex(/^\d{3}$/),
      zones: z.array(ianaZone).min(1),
      dataZones: z.array(z.string()),
      reason: z.string().min(1),
    }),
  ),
  /** 3-digit ZIP prefix → every state and zone of its ZIPs. */
  prefixes: z.record(z.string().regex(/^\d{3}$/), postalLocation),
  /** 5-digit ZIPs whose state differs from their prefix's (e.g. 96799 American Samoa under Hawaii's 967). */
  zips: z.record(z.string().regex(/^\d{5}$/), postalLocation),
});

/** ZIP → USPS state(s) and IANA zones (RULES §3), by 3-digit prefix with 5-digit exceptions. */
export const zip3 = loadRules('zip3', schema, data);
