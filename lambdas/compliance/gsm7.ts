import { contentRules, gsm7Escape } from '../rules/content';
import type { ContentAnalysis } from './types';

type Encoding = ContentAnalysis['encoding'];

/** How a body travels: its encoding, its length in that encoding's units, and the parts billed. */
export type SegmentCount = {
  encoding: Encoding;
  /** GSM-7 septets (an extension character takes two) or UTF-16 code units. */
  units: number;
  segments: number;
};

const gsm7Basic = new Set([...contentRules.gsm7.basic.join('')].filter((char) => char !== gsm7Escape));
const gsm7Extension = new Set(Object.values(contentRules.gsm7.extension));

// Once a text needs several parts, each part's user-data header (UDH) takes 6 octets:
// 160 → 153 septets, 70 → 67 UCS-2 characters.
const capacity: Record<Encoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** Septets per UTF-16 unit in the GSM-7 alphabet: 1 basic, 2 extension, 0 not encodable. */
export const gsm7Septets = new Uint8Array(65536);
for (const char of gsm7Basic) if (char.length === 1) gsm7Septets[char.charCodeAt(0)] = 1;
for (const char of gsm7Extension) if (char.length === 1) gsm7Septets[char.charCodeAt(0)] = 2;

/**
 * Encoding and segment count of an SMS body as carriers bill it: GSM-7 when every character
 * is in the GSM 03.38 default or extension table, UCS-2 otherwise. Parts are filled greedily
 * and never split an escape pair or a surrogate pair. An empty body is one segment, as it
 * is billed.
 * @example countSegments('€'.repeat(80)) // { encoding: 'GSM-7', units: 160, segments: 1 }
 */
export function countSegments(body: string): SegmentCount {
  let unencodable = false;
  let extensions = 0;
  for (let i = 0; i < body.length; i++) {
    const septets = gsm7Septets[body.charCodeAt(i)]!;
    if (septets === 0) {
      unencodable = true;
      break;
    }
    if (septets === 2) extensions++;
  }
  return segmentCount(body, unencodable, extensions);
}

/**
 * {@link countSegments} from a tally of the body's characters, for a caller that has already
 * read every character: whether any is outside GSM-7, and how many are extension characters.
 */
export function segmentCount(body: string, unencodable: boolean, extensions: number): SegmentCount {
  const encoding: Encoding = unencodable ? 'UCS-2' : 'GSM-7';
  const units = unencodable ? body.length : body.length + extensions;
  const { single, part } = capacity[encoding];
  if (units <= single) return { encoding, units, segments: 1 };
  // With every character one unit wide, parts fill to the brim and nothing needs keeping whole.
  const uniform = unencodable ? !surrogatePair.test(body) : extensions === 0;
  if (uniform) return { encoding, units, segments: Math.ceil(units / part) };

  let segments = 1;
  let used = 0;
  // By character, so a surrogate pair or an escape pair stays whole. A GSM-7 body holds no
  // surrogate (none is in the alphabet), so there every character is one code unit.
  for (let i = 0; i < body.length;) {
    let size: number;
    if (encoding === 'GSM-7') {
      size = gsm7Septets[body.charCodeAt(i)]!;
      i += 1;
    } else {
      size = isSurrogatePair(body, i) ? 2 : 1;
      i += size;
    }
    if (used + size > part) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments };
}

// Code units, not code points (no `u` flag): a high surrogate followed by a low one.
const surrogatePair = /[\ud800-\udbff][\udc00-\udfff]/;

function isSurrogatePair(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff || i + 1 >= text.length) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}
