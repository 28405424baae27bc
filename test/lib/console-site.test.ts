import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsoleSiteStack } from '../../lib/console-site';

let stack: ConsoleSiteStack;
let template: Template;

beforeAll(() => {
  // Bundling (the Vite build) skipped: the template does not depend on the files' contents.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new ConsoleSiteStack(app, 'ConsentLineConsole', {
    apiEndpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com',
  });
  Aspects.of(app).add(new AwsSolutionsChecks());
  template = Template.fromStack(stack);
});

/** Fails unless some resource of `type` matches `properties` (Template's own matcher). */
function assertHas(type: string, properties: unknown): void {
  template.hasResourceProperties(type, properties);
}

describe('the console site', () => {
  it('keeps the files in a private, encrypted, TLS-only bucket', () => {
    assertHas('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    assertHas('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('serves it through CloudFront with origin access control, HTTPS only, and the API under /v1', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    assertHas('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/v1/*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: Match.arrayWith(['PUT', 'POST', 'DELETE']),
          }),
        ],
      }),
    });
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const origins = distribution?.Properties.DistributionConfig.Origins as Array<Record<string, unknown>>;
    const api = origins.find((origin) => origin.CustomOriginConfig !== undefined);
    expect(api?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
    expect(JSON.stringify(api?.DomainName)).toContain('abc123.execute-api.us-east-1.amazonaws.com');
    expect(origins.filter((origin) => origin.OriginAccessControlId !== undefined)).toHaveLength(1);
  });

  it('sends the strict CSP and the other security headers', () => {
    assertHas('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp("script-src 'self';.*frame-ancestors 'none'"),
            Override: true,
          },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000 }),
        }),
      }),
    });
  });

  it('deploys the built files and refreshes the page that names them', () => {
    assertHas('Custom::CDKBucketDeployment', {
      Prune: true,
      DistributionPaths: ['/', '/index.html'],
    });
  });

  it('leaves cdk-nag nothing unsuppressed, and every suppression says why', () => {
    const findings = [
      ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ];
    expect(findings.map((finding) => `${finding.id}: ${String(finding.entry.data).slice(0, 100)}`)).toEqual(
      [],
    );
    const resources = template.toJSON().Resources as Record<
      string,
      { Metadata?: { cdk_nag?: { rules_to_suppress?: { reason: string }[] } } }
    >;
    const reasons = Object.values(resources).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(reasons.length).toBeGreaterThan(0);
    for (const { reason } of reasons) expect(reason.length).toBeGreaterThan(40);
  });
});
