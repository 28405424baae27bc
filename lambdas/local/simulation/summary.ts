import { VIOLATION_KINDS } from './checker';
import { FAULT_KINDS } from './context';
import type { SimulationResult } from './simulation';

/** Why a run fails CI: a rule was broken, or a fault the run claims to survive never happened. */
export function failures(result: SimulationResult): string[] {
  return [
    ...VIOLATION_KINDS.filter((kind) => result.check.counts[kind] > 0).map(
      (kind) => `${kind}: ${result.check.counts[kind]} violation(s)`,
    ),
    ...FAULT_KINDS.filter((kind) => result.faults[kind].observed === 0).map(
      (kind) => `${kind}: never happened`,
    ),
  ];
}

function table(title: string, rows: Array<[string, string | number, ...Array<string | number>]>): string {
  const widths = rows.reduce<number[]>(
    (max, row) => row.map((cell, i) => Math.max(max[i] ?? 0, String(cell).length)),
    [],
  );
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!)))
      .join('  '),
  );
  return [title, ...lines.map((line) => `  ${line}`)].join('\n');
}

/** The end-of-run summary: population, faults, messages by status, violations. */
export function formatSummary(result: SimulationResult): string {
  const { options, population, faults, check } = result;
  const seconds = (result.durationMs / 1000).toFixed(1);
  return [
    `Simulation: ${options.contacts} contacts, ${options.days} days from ${options.start.slice(0, 10)}, seed ${options.seed} — ${seconds} s`,
    `  ${population.agents} agents (${population.doubleOptInAgents} with double opt-in), ${population.sharedPhones} shared phones, ${population.lateContacts} registered during the run`,
    '',
    table('Faults', [
      ['fault', 'injected', 'observed'],
      ...FAULT_KINDS.map((kind): [string, number, number] => [
        kind,
        faults[kind].injected,
        faults[kind].observed,
      ]),
    ]),
    '',
    table('Messages by status (outbound)', [
      ['status', 'count'],
      ...Object.entries(result.messagesByStatus).sort(([a], [b]) => a.localeCompare(b)),
    ]),
    `  Twilio accepted ${check.sends} texts, ${check.exemptSends} of them keyword replies or forwards`,
    `  Twilio Lookup: ${result.lookups.reassigned} reassigned-number and ${result.lookups.lineType} line-type requests, ${result.lookups.perThousandTexts} per 1,000 texts sent`,
    '',
    table('Violations (independent checker)', [
      ['rule', 'count'],
      ...VIOLATION_KINDS.map((kind): [string, number] => [kind, check.counts[kind]]),
    ]),
    ...(result.unexpectedErrors.count > 0
      ? [
          '',
          `Unexpected API errors: ${result.unexpectedErrors.count}`,
          ...result.unexpectedErrors.first.map((line) => `  ${line}`),
        ]
      : []),
    ...check.violations
      .slice(0, 20)
      .map(
        (violation) =>
          `  ${violation.kind} ${violation.messageId ?? violation.sid ?? ''} ${violation.phone} at ${violation.at}: ${violation.detail}`,
      ),
  ].join('\n');
}
