import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cadenceSchema,
  customCadenceBody,
  defaultCadence,
  isStrictlyAfter,
  MAX_CADENCE_STEPS,
} from '../../../lambdas/rules/cadence';
import { messageTexts } from '../../../lambdas/rules/messages';
import { issuesOf } from '../../support/zod-issues';
import { cadenceWithSteps, shortCadence } from './cadence-bodies';

const problemsOf = (body: unknown): string[] => issuesOf(customCadenceBody, body);

describe('defaultCadence', () => {
  it('loads with a version, a source and as many steps as the opt-in confirmation discloses', () => {
    // assess
    expect(defaultCadence.version).toMatch(/^cadence\/\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(defaultCadence.source).not.toBe('');
    expect(defaultCadence.steps.length).toBeLessThanOrEqual(MAX_CADENCE_STEPS);
    expect(messageTexts.frequency).toContain(`${defaultCadence.steps.length} msgs`);
    expect(cadenceSchema.safeParse(defaultCadence).success).toBe(true);
  });

  it('names an anchor on every step: welcome and anniversaries from the closing', () => {
    // assess
    for (const step of defaultCadence.steps) expect(['closing', 'enrollment']).toContain(step.anchor);
    const closing = defaultCadence.steps.filter((step) => step.anchor === 'closing');
    expect(closing[0]).toMatchObject({ step: 1 });
    expect(closing.filter((step) => /anniversary/.test(step.template)).length).toBe(
      defaultCadence.steps.filter((step) => /anniversary/.test(step.template)).length,
    );
  });
});

describe('the rules layer', () => {
  it('imports nothing from the compliance core: rules are data the core reads', () => {
    // prepare
    const root = join(__dirname, '../../../lambdas/rules');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));

    // act
    const offenders = files.filter((file) =>
      /from '(\.\.\/)+compliance\//.test(readFileSync(join(root, file), 'utf8')),
    );

    // assess
    expect(files.length).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });
});

describe('customCadenceBody', () => {
  it('accepts a well-formed cadence and defaults the fallbacks', () => {
    // act
    const parsed = customCadenceBody.parse(shortCadence);

    // assess
    expect(parsed.fallbacks).toEqual({});
    expect(parsed.steps).toHaveLength(3);
  });

  it('refuses an unknown field and a stray brace', () => {
    // prepare
    const body = cadenceWithSteps([
      { step: 1, offset: { days: 7 }, template: 'Hi {nickname}, see {address' },
    ]);

    // act
    const problems = problemsOf(body);

    // assess
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^steps\.0\.template: unknown field\(s\) \{nickname\}/),
        expect.stringMatching(/^steps\.0\.template: a brace/),
      ]),
    );
  });

  it('refuses offsets that are not strictly ordered for every enrollment date', () => {
    // prepare: 60 days can fall before or after 2 calendar months
    const body = cadenceWithSteps([
      { step: 1, offset: { days: 60 }, template: 'a' },
      { step: 2, offset: { months: 2 }, template: 'b' },
    ]);

    // act
    const problems = problemsOf(body);

    // assess
    expect(problems).toEqual([expect.stringMatching(/^steps\.1\.offset: must come strictly after step 1/)]);
  });

  it('refuses steps numbered out of order, more than 22 steps and offsets past 10 years', () => {
    // prepare
    const renumbered = cadenceWithSteps([{ ...shortCadence.steps[0], step: 2 }]);
    const tooMany = cadenceWithSteps(
      Array.from({ length: 23 }, (_, i) => ({ step: i + 1, offset: { days: i + 1 }, template: 'Hi' })),
    );
    const tooLate = cadenceWithSteps([{ step: 1, offset: { months: 121 }, template: 'Hi' }]);

    // act + assess
    expect(problemsOf(renumbered)).toEqual([expect.stringMatching(/^steps\.0\.step: must be 1/)]);
    expect(problemsOf(tooMany)).toEqual([expect.stringMatching(/^steps: /)]);
    expect(problemsOf(tooLate)).not.toEqual([]);
    expect(problemsOf(cadenceWithSteps([{ step: 1, offset: { days: 3653 }, template: 'Hi' }]))).not.toEqual(
      [],
    );
  });

  it('refuses an offset in two units at once', () => {
    // act
    const problems = problemsOf(
      cadenceWithSteps([{ step: 1, offset: { days: 3, months: 1 }, template: 'Hi' }]),
    );

    // assess
    expect(problems).not.toEqual([]);
  });
});

describe('isStrictlyAfter', () => {
  it('orders calendar units exactly and days against months only outside 28–31 days a month', () => {
    // act + assess
    expect(isStrictlyAfter({ months: 12 }, { years: 1 })).toBe(false);
    expect(isStrictlyAfter({ months: 11 }, { years: 1 })).toBe(true);
    expect(isStrictlyAfter({ days: 28 }, { months: 1 })).toBe(false);
    expect(isStrictlyAfter({ days: 27 }, { months: 1 })).toBe(true);
    expect(isStrictlyAfter({ months: 1 }, { days: 31 })).toBe(false);
    expect(isStrictlyAfter({ months: 1 }, { days: 32 })).toBe(true);
  });
});
