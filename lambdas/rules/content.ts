import * as z from 'zod';
import data from './data/content.json';
import { loadRules, versioned } from './schema';

/** The escape code 0x1B: a GSM-7 message can only carry it in front of an extension character. */
export const gsm7Escape = '\u001b';

const domain = z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a lower-case domain name');
const term = z.string().regex(/^[a-z0-9][a-z0-9 -]*$/, 'lower-case words, spaces and - only');
const oneChar = z.string().refine((text) => [...text].length === 1, 'one character');

const schema = versioned.extend({
  /** Public shorteners carriers filter (CTIA); subdomains count too. */
  urlShorteners: z.array(domain).min(1),
  shaft: z.object({
    /** Terms per category, matched as whole words; a plural s/es is implied. */
    categories: z.record(z.string().regex(/^[a-z]+$/), z.array(term).min(1)),
    /** Everyday phrases that contain a term without being about it ("wine cellar", "nail gun"). */
    exempt: z.array(term),
    /**
     * Terms refused in an agent name or brokerage even bare, whose context a message body can give
     * ("CBD" alone: a brokerage "Free CBD" is read as cannabis; a listing "in the CBD" is downtown).
     */
    senderIdentity: z.record(z.string().regex(/^[a-z]+$/), z.array(term).min(1)),
  }),
  gsm7: z
    .object({
      /** 3GPP TS 23.038 default alphabet: 8 rows of 16, code = row × 16 + column. */
      basic: z.array(z.string().refine((row) => [...row].length === 16, 'a row of 16 characters')).length(8),
      /** Extension table, reached through the escape code (two septets each), by code. */
      extension: z.record(z.string().regex(/^0x[0-7][0-9A-F]$/), oneChar),
    })
    .refine((gsm7) => gsm7.basic[1]?.[11] === gsm7Escape, 'code 0x1B must be the escape')
    .refine(
      (gsm7) => new Set(gsm7.basic.join('')).size === 128,
      'the default alphabet has 128 distinct codes',
    ),
});

/** URL shorteners, SHAFT terms and the GSM-7 alphabet used by the content checks (RULES §4). */
export const contentRules = loadRules('content', schema, data);
