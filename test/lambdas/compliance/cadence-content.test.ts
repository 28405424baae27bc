import { cadenceContentProblems, checkedCadenceBody } from '../../../lambdas/compliance/cadence-content';
import { defaultCadence } from '../../../lambdas/rules/cadence';

const valid = {
  name: 'Short cadence',
  steps: [
    { step: 1, offset: { days: 7 }, template: 'Hi {firstName}, it is {agentName}.' },
    { step: 2, offset: { months: 2 }, template: 'Hi {firstName}, how is {address}?' },
  ],
};

/** The issue messages of a body the checked schema refuses. */
function problemsOf(body: unknown): string[] {
  const result = checkedCadenceBody.safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('cadenceContentProblems', () => {
  it('finds nothing in the default cadence: every step is GSM-7, without shorteners or SHAFT', () => {
    // act + assess
    expect(cadenceContentProblems(defaultCadence)).toEqual([]);
  });

  it('names the step and the rule of each problem', () => {
    // act
    const problems = cadenceContentProblems({
      steps: [
        { step: 1, offset: { days: 7 }, template: 'See bit.ly/x for details' },
        { step: 2, offset: { days: 8 }, template: 'Fine text' },
      ],
    });

    // assess
    expect(problems).toEqual([
      { path: ['steps', 0, 'template'], message: expect.stringMatching(/^URL shorteners are refused: /) },
    ]);
  });
});

describe('checkedCadenceBody', () => {
  it('accepts a well-formed cadence', () => {
    // act + assess
    expect(problemsOf(valid)).toEqual([]);
  });

  it('refuses shorteners, SHAFT terms and characters outside GSM-7', () => {
    // prepare
    const body = {
      ...valid,
      steps: [
        { step: 1, offset: { days: 7 }, template: 'See bit.ly/x for details' },
        { step: 2, offset: { days: 8 }, template: 'Join us for wine tasting' },
        { step: 3, offset: { days: 9 }, template: 'Welcome home 🏡' },
      ],
    };

    // act
    const problems = problemsOf(body);

    // assess
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^steps\.0\.template: URL shorteners/),
        expect.stringMatching(/^steps\.1\.template: SHAFT content \(alcohol\)/),
        expect.stringMatching(/^steps\.2\.template: uses characters outside the GSM-7/),
      ]),
    );
  });

  it('still refuses what the rules refuse (an unknown field)', () => {
    // act
    const problems = problemsOf({
      ...valid,
      steps: [{ step: 1, offset: { days: 7 }, template: 'Hi {nick}' }],
    });

    // assess
    expect(problems).toEqual([expect.stringMatching(/^steps\.0\.template: unknown field/)]);
  });
});
