import * as z from 'zod';
import data from './data/blackouts.json';
import { loadRules, versioned } from './schema';

const schema = versioned.extend({
  /** Purposes a blackout holds (RULES §3: automated texts only). */
  appliesTo: z.array(z.enum(['automated', 'manual', 'confirmation'])).min(1),
  /** The longest period one declaration may cover, in days; a longer emergency is declared again. */
  maxDays: z.number().int().positive(),
  /**
   * A recipient with no candidate state may be in any state: `held` treats every blackout as
   * binding them (the union rule taken to its end), `unaffected` would let them through.
   */
  unknownLocation: z.enum(['held', 'unaffected']),
});

/** State-of-emergency blackouts: whom they hold and how long one may last (RULES §3). */
export const blackoutRules = loadRules('blackouts', schema, data);
