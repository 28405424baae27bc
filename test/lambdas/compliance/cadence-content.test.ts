import { cadenceContentProblems, checkedCadenceBody } from '../../../lambdas/compliance/cadence-content';
import { defaultCadence } from '../../../lambdas/rules/cadence';
import { issuesOf } from '../../support/zod-issues';
import { cadenceWithSteps, shortCadence } from '../rules/cadence-bodies';

const problemsOf = (body: unknown): string[] => issuesOf(checkedCadenceBody, body);

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
    expect(problemsOf(shortCadence)).toEqual([]);
  });

  it('refuses shorteners, SHAFT terms and characters outside GSM-7', () => {
    // prepare
    const body = cadenceWithSteps([
      { step: 1, offset: { days: 7 }, template: 'See bit.ly/x for details' },
      { step: 2, offset: { days: 8 }, template: 'Join us for wine tasting' },
      { step: 3, offset: { days: 9 }, template: 'Welcome home 🏡' },
    ]);

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
    const problems = problemsOf(cadenceWithSteps([{ step: 1, offset: { days: 7 }, template: 'Hi {nick}' }]));

    // assess
    expect(problems).toEqual([expect.stringMatching(/^steps\.0\.template: unknown field/)]);
  });
});
