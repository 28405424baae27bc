import * as z from 'zod';
import { ianaZone, uspsCode } from './area-codes';
import data from './data/state-zones.json';
import { loadRules, versioned } from './schema';

const schema = versioned.extend({
  generatedBy: z.string().min(1),
  states: z.record(uspsCode, z.array(ianaZone).min(1)),
});

/** USPS state or territory → every IANA zone any of its area codes or ZIPs covers (RULES §3). */
export const stateZones = loadRules('state-zones', schema, data);
