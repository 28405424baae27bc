import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { synthesize, type Synthesized } from './synth';

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthesize();
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no unsuppressed error', () => {
    // act
    const errors = Annotations.fromStack(synthesized.stack).findError(
      '*',
      Match.stringLikeRegexp('AwsSolutions-.*'),
    );

    // assess
    expect(errors.map((error) => `${error.id}: ${String(error.entry.data).slice(0, 120)}`)).toEqual([]);
  });

  it('leaves no unsuppressed warning', () => {
    // act
    const warnings = Annotations.fromStack(synthesized.stack).findWarning(
      '*',
      Match.stringLikeRegexp('AwsSolutions-.*'),
    );

    // assess
    expect(warnings.map((warning) => warning.id)).toEqual([]);
  });

  it('gives every suppression a written reason', () => {
    // prepare
    const resources = synthesized.template.toJSON().Resources as Record<
      string,
      { Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } } }
    >;

    // act
    const suppressions = Object.values(resources).flatMap(
      (resource) => resource.Metadata?.cdk_nag?.rules_to_suppress ?? [],
    );

    // assess
    expect(suppressions.length).toBeGreaterThan(0);
    for (const suppression of suppressions) expect(suppression.reason.length).toBeGreaterThan(40);
    expect(new Set(suppressions.map((suppression) => suppression.id))).toEqual(
      new Set([
        'AwsSolutions-APIG4',
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
        'AwsSolutions-L1',
        'AwsSolutions-IAM5',
        'AwsSolutions-SQS3',
        // the audit export bucket's server access logs (lib/audit-export.ts)
        'AwsSolutions-S1',
        'AwsSolutions-SMG4',
      ]),
    );
  });
});
