import type * as z from 'zod';
import { customCadenceBody, type Cadence } from '../rules/cadence';
import { analyzeContent, countSegments } from './content';

/** One content problem of a cadence: where (`steps.<i>.template`) and what. */
export type CadenceContentProblem = { path: (string | number)[]; message: string };

/**
 * What the texts of a cadence say, judged as the gate will judge them (RULES §4): characters
 * outside GSM-7, public URL shorteners and SHAFT content. The rules layer checks only the
 * shape of a cadence (fields, braces, order); this is the core's part.
 */
export function cadenceContentProblems(cadence: Pick<Cadence, 'steps'>): CadenceContentProblem[] {
  return cadence.steps.flatMap(({ template }, index) =>
    templateContentProblems(template).map((message) => ({ path: ['steps', index, 'template'], message })),
  );
}

/** The content problems of one template, in words an agent can act on. */
export function templateContentProblems(template: string): string[] {
  const problems: string[] = [];
  // GSM-7 keeps a step at 160/153 characters a segment instead of 70/67 (RULES §4).
  if (countSegments(template).encoding !== 'GSM-7')
    problems.push('uses characters outside the GSM-7 alphabet');
  const content = analyzeContent(template);
  if (content.shortenerUrls.length > 0)
    problems.push(`URL shorteners are refused: ${content.shortenerUrls.join(', ')}`);
  if (content.shaftFlags.length > 0) problems.push(`SHAFT content (${content.shaftFlags.join(', ')})`);
  return problems;
}

/**
 * `PUT /v1/cadence` body: the rules' shape of a cadence plus the core's content checks, so an
 * account can never save a step the gate would refuse or flag.
 */
export const checkedCadenceBody = customCadenceBody.superRefine((body, ctx) => {
  for (const problem of cadenceContentProblems(body)) {
    ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  }
});

export type CheckedCadenceBody = z.output<typeof checkedCadenceBody>;
