import { contentRules } from '../rules/content';
import { segmentCount } from './gsm7';
import { scanBody, shaftFlags } from './shaft-screen';
import type { ContentAnalysis } from './types';

export { countSegments, type SegmentCount } from './gsm7';
export { shaftFlagsByPatterns } from './shaft-screen';

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
  const scan = scanBody(body);
  const { encoding, segments } = segmentCount(body, scan.unencodable, scan.extensions);
  // Both screens read the body lower-cased: cased once for the two.
  const lower = body.toLowerCase();
  return {
    encoding,
    segments,
    shortenerUrls: mayHaveShortener(lower) ? shortenerUrlsByPattern(body) : [],
    shaftFlags: shaftFlags(body, lower, scan),
  };
}

/**
 * Every web address or bare host written in a text ("https://x.co/a", "harbor-realty.com"), as
 * written. Sender names must carry none: they are put in front of every text.
 */
export function findHosts(text: string): string[] {
  return [...text.matchAll(hostOrUrl)].map((match) => match[0].replace(trailingPunctuation, ''));
}
