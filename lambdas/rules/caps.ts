import * as z from 'zod';
import data from './data/caps.json';
import { loadRules, versioned } from './schema';

const purposes = z.array(z.enum(['automated', 'manual'])).min(1);

const schema = versioned.extend({
  /** Caps count sends in a rolling window of this many hours (RULES §3). */
  windowHours: z.number().positive(),
  recipient: z.array(
    z.object({
      label: z.string(),
      /** USPS codes the cap binds; '*' binds every recipient. */
      states: z.array(z.string().regex(/^([A-Z]{2}|\*)$/)).min(1),
      purposes,
      max: z.number().int().positive(),
    }),
  ),
  agentDaily: z.object({ label: z.string(), purposes, max: z.number().int().positive() }),
});

export type RecipientCap = z.infer<typeof schema>['recipient'][number];

/** Frequency caps per recipient (across all agents) and per agent per UTC day. */
export const capRules = loadRules('caps', schema, data);
