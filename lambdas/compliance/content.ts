import { contentRules, gsm7Escape } from '../rules/content';
import { shaftFlags } from './shaft-screen';
import type { ContentAnalysis } from './types';

export { shaftFlagsByPatterns } from './shaft-screen';

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
const gsm7Septets = new Uint8Array(65536);
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
  let encoding: Encoding = 'GSM-7';
  let units = 0;
  for (let i = 0; i < body.length; i++) {
    const septets = gsm7Septets[body.charCodeAt(i)]!;
    if (septets === 0) {
      encoding = 'UCS-2';
      break;
    }
    units += septets;
  }
  if (encoding === 'UCS-2') units = body.length;
  const { single, part } = capacity[encoding];
  if (units <= single) return { encoding, units, segments: 1 };

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

function isSurrogatePair(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff || i + 1 >= text.length) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}

// A host with or without scheme, not glued to a word, an e-mail's "@" or another host label.
const hostOrUrl =
  /(?<![\p{L}\p{N}@._-])(?:https?:\/\/)?((?:[\p{L}\p{N}-]+\.)+[\p{L}\p{N}-]+)(?::\d+)?(?:[/?#]\S*)?/giu;
const trailingPunctuation = /[.,;:!?)\]}'"»]+$/u;

function isShortener(host: string): boolean {
  const name = host.toLowerCase();
  return contentRules.urlShorteners.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

// The screen in front of the host pattern: a shortener's host ends in one of these domains, so
// the text holds a dot followed by the domain's last label, with the rest of the domain before
// it. Keyed by that last label, the screen looks only at the text's dots (few in a text).
const shortenersByLastLabel = new Map<string, string[]>();
for (const domain of contentRules.urlShorteners) {
  const label = domain.slice(domain.lastIndexOf('.') + 1);
  shortenersByLastLabel.set(label, [...(shortenersByLastLabel.get(label) ?? []), domain]);
}

const isLabelChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;

/** Whether a shortener's domain stands somewhere in `lower` as a host's last labels would. */
function mayHaveShortener(lower: string): boolean {
  for (let dot = lower.indexOf('.'); dot >= 0; dot = lower.indexOf('.', dot + 1)) {
    let end = dot + 1;
    while (end < lower.length && isLabelChar(lower.charCodeAt(end))) end++;
    if (end === dot + 1) continue;
    const domains = shortenersByLastLabel.get(lower.slice(dot + 1, end));
    if (domains === undefined) continue;
    for (const domain of domains) if (lower.startsWith(domain, end - domain.length)) return true;
  }
  return false;
}

/**
 * Shortener URLs by the host pattern alone, without the screen in front of it. Exported so a
 * property test can hold the screen to it: the screen may let through, never hold back.
 */
export function shortenerUrlsByPattern(body: string): string[] {
  return [...body.matchAll(hostOrUrl)]
    .filter((match) => isShortener(match[1] ?? ''))
    .map((match) => match[0].replace(trailingPunctuation, ''));
}

/**
 * Content checks for an outbound body (RULES §4): encoding and segments, public URL
 * shorteners (as written in the body, to be refused) and SHAFT categories to flag
 * (sex, hate, alcohol, firearms, tobacco, and cannabis on its own since it is refused
 * outright rather than age-gated).
 * @example analyzeContent('Open house at 5, wine cellar tour: bit.ly/x')
 * // { encoding: 'GSM-7', segments: 1, shortenerUrls: ['bit.ly/x'], shaftFlags: [] }
 */
export function analyzeContent(body: string): ContentAnalysis {
  const { encoding, segments } = countSegments(body);
  // Both screens read the body lower-cased: cased once for the two.
  const lower = body.toLowerCase();
  return {
    encoding,
    segments,
    shortenerUrls: mayHaveShortener(lower) ? shortenerUrlsByPattern(body) : [],
    shaftFlags: shaftFlags(body, lower),
  };
}

/**
 * Every web address or bare host written in a text ("https://x.co/a", "harbor-realty.com"), as
 * written. Sender names must carry none: they are put in front of every text.
 */
export function findHosts(text: string): string[] {
  return [...text.matchAll(hostOrUrl)].map((match) => match[0].replace(trailingPunctuation, ''));
}
