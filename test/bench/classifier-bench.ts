import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifyInbound } from '../../lambdas/compliance/keywords';
import { KINDS, readCorpus, scoreCorpus, type Score } from '../lambdas/compliance/corpus/score';
import { recordFigure } from './figures';
import { callsPerSecond, type BenchSection } from './measure';

const ROOT = join(__dirname, '..', '..');
const SETS: Array<[string, string]> = [
  ['dev set (shared/corpus/inbound-dev.jsonl)', join(ROOT, '..', 'shared', 'corpus', 'inbound-dev.jsonl')],
  [
    'own labeled set (test/.../inbound-own.jsonl)',
    join(ROOT, 'test', 'lambdas', 'compliance', 'corpus', 'inbound-own.jsonl'),
  ],
];

const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Rows of one labeled set: targets, the confusion matrix (expected → actual), recall per language. */
function scoreRows(name: string, score: Score): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    [`${name}: texts`, String(score.total)],
    [`${name}: recall, opt_out + revocation (target ≥ 99 %)`, pct(score.revokingRecall)],
    [`${name}: false positives on other (target ≤ 1 %)`, pct(score.falsePositiveRate)],
    [`${name}: opt_in/help misclassified (target 0)`, String(score.keywordMisses.length)],
    [`${name}: confusion, expected → actual`, KINDS.join(' / ')],
  ];
  for (const expected of KINDS) {
    rows.push([
      `  ${expected}`,
      KINDS.map((actual) => String(score.confusion[expected][actual])).join(' / '),
    ]);
  }
  for (const [lang, { hit, of }] of Object.entries(score.recallByLanguage).sort()) {
    rows.push([`  recall ${lang}`, `${hit}/${of} (${pct(hit / of)})`]);
  }
  return rows;
}

/** Classifications per CPU second of this process: on a shared machine, wall time counts others' work too. */
function perCpuSecond(fn: (i: number) => unknown, cpuMs = 1500): number {
  for (let i = 0; i < 5000; i++) fn(i);
  const start = process.cpuUsage();
  let calls = 0;
  for (;;) {
    for (let i = 0; i < 1000; i++) fn(calls + i);
    calls += 1000;
    const used = process.cpuUsage(start);
    const micros = used.user + used.system;
    if (micros >= cpuMs * 1000) return calls / (micros / 1e6);
  }
}

/** The inbound classifier: accuracy on the labeled sets and throughput on one core. */
export function benchClassifier(): BenchSection {
  const rows: Array<[string, string]> = [];
  const texts: string[] = [];
  for (const [name, path] of SETS) {
    if (!existsSync(path)) {
      rows.push([name, `missing: ${path}`]);
      continue;
    }
    const corpus = readCorpus(path);
    texts.push(...corpus.map((line) => line.text));
    const score = scoreCorpus(corpus);
    const key = name.startsWith('dev') ? 'dev' : 'own';
    recordFigure(`classifier.${key}.revokingRecall`, score.revokingRecall);
    recordFigure(`classifier.${key}.falsePositiveRate`, score.falsePositiveRate);
    recordFigure(`classifier.${key}.keywordMisses`, score.keywordMisses.length);
    rows.push(...scoreRows(name, score));
  }
  const long = `${'We loved the kitchen and the big yard, thanks for the tour. '.repeat(27)}`.slice(0, 1600);
  const run = (i: number) => classifyInbound(texts[i % texts.length] as string);
  rows.push(
    ['classifyInbound, labeled texts in turn (per CPU second, one core)', fmt(perCpuSecond(run))],
    ['classifyInbound, labeled texts in turn (per wall second)', fmt(callsPerSecond(run))],
    [
      'classifyInbound, 1,600-character text (per CPU second)',
      fmt(perCpuSecond(() => classifyInbound(long), 500)),
    ],
  );
  return { title: 'Inbound classifier (RULES §2 targets)', rows };
}
