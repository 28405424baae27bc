import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCorpus, scoreCorpus, type Score } from './corpus/score';

// The shared corpus sits beside the project: /work/shared locally, ../shared from a CI clone.
const DEV_SET = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'inbound-dev.jsonl');
// Written before the recogniser was tuned, never tuned against first: a check on generalisation.
const OWN_SET = join(__dirname, 'corpus', 'inbound-own.jsonl');

/** The classifier targets: ≥ 99 % of revoking texts heard, ≤ 1 % of ordinary texts taken as revoking, keywords exact. */
const TARGETS = { revokingRecall: 0.99, falsePositiveRate: 0.01 };

const listMisses = (score: Score | undefined) =>
  (score?.misses ?? [])
    .map((miss) => `${miss.kind} → ${miss.got.kind} (${miss.got.rule ?? 'no rule'}): ${miss.text}`)
    .join('\n');

describe.each([
  ['the development set (shared/corpus)', DEV_SET],
  ['the project’s own labeled set', OWN_SET],
])('classifyInbound on %s', (_name, path) => {
  it('finds the labeled file', () => {
    expect(existsSync(path)).toBe(true);
  });

  const score = existsSync(path) ? scoreCorpus(readCorpus(path)) : undefined;

  it('hears at least 99 % of the texts that revoke (opt_out and revocation together)', () => {
    const recall = score?.revokingRecall ?? 0;

    // On failure the message lists what was missed, so a lexicon change can be judged.
    const verdict = recall >= TARGETS.revokingRecall ? 'met' : `recall ${recall}:\n${listMisses(score)}`;
    expect(verdict).toBe('met');
  });

  it('reads at most 1 % of ordinary texts as revoking', () => {
    const rate = score?.falsePositiveRate ?? 1;

    const verdict =
      rate <= TARGETS.falsePositiveRate ? 'met' : `false positives ${rate}:\n${listMisses(score)}`;
    expect(verdict).toBe('met');
  });

  it('classifies every opt-in and help keyword exactly', () => {
    expect(score?.keywordMisses).toEqual([]);
  });

  it('holds texts in several languages and hard negatives', () => {
    const corpus = readCorpus(path);

    const languages = new Set(corpus.map((line) => line.lang));

    expect([...languages]).toEqual(expect.arrayContaining(['en', 'es', 'zh', 'vi', 'tl', 'ko', 'fr', 'pt']));
    expect(corpus.filter((line) => line.kind === 'other').length).toBeGreaterThanOrEqual(50);
  });
});
