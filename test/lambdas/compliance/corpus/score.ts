import { readFileSync } from 'node:fs';
import { classifyInbound } from '../../../../lambdas/compliance/keywords';
import type { InboundClassification, InboundKind } from '../../../../lambdas/compliance/types';

/** One labeled inbound text (shared/corpus/README.md). */
export type LabeledText = { text: string; kind: InboundKind; lang: string; note?: string };

export const KINDS: readonly InboundKind[] = ['opt_out', 'revocation', 'opt_in', 'help', 'other'];

/** Reads a labeled JSONL file, one object per line. */
export function readCorpus(path: string): LabeledText[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabeledText);
}

const revokes = (kind: InboundKind) => kind === 'opt_out' || kind === 'revocation';

/** How a classifier did on a labeled set, in the figures the issue sets targets for. */
export type Score = {
  total: number;
  /** confusion[expected][actual] */
  confusion: Record<InboundKind, Record<InboundKind, number>>;
  /** opt_out + revocation read as either. */
  revokingRecall: number;
  /** `other` texts read as opt_out or revocation. */
  falsePositiveRate: number;
  /** opt_in/help texts classified as anything else. */
  keywordMisses: LabeledText[];
  recallByLanguage: Record<string, { hit: number; of: number }>;
  misses: Array<LabeledText & { got: InboundClassification }>;
};

/** Classifies every text and counts. */
export function scoreCorpus(corpus: readonly LabeledText[]): Score {
  const confusion = Object.fromEntries(
    KINDS.map((expected) => [expected, Object.fromEntries(KINDS.map((actual) => [actual, 0]))]),
  ) as Score['confusion'];
  const recallByLanguage: Score['recallByLanguage'] = {};
  const misses: Score['misses'] = [];
  const keywordMisses: LabeledText[] = [];
  let revoking = 0;
  let heard = 0;
  let others = 0;
  let falsePositives = 0;
  for (const line of corpus) {
    const got = classifyInbound(line.text);
    confusion[line.kind][got.kind] += 1;
    if (revokes(line.kind)) {
      revoking += 1;
      const lang = (recallByLanguage[line.lang] ??= { hit: 0, of: 0 });
      lang.of += 1;
      if (revokes(got.kind)) {
        heard += 1;
        lang.hit += 1;
      } else misses.push({ ...line, got });
    } else if (line.kind === 'other') {
      others += 1;
      if (revokes(got.kind)) {
        falsePositives += 1;
        misses.push({ ...line, got });
      }
    } else if (got.kind !== line.kind) {
      keywordMisses.push(line);
      misses.push({ ...line, got });
    }
  }
  return {
    total: corpus.length,
    confusion,
    revokingRecall: revoking === 0 ? 1 : heard / revoking,
    falsePositiveRate: others === 0 ? 0 : falsePositives / others,
    keywordMisses,
    recallByLanguage,
    misses,
  };
}
