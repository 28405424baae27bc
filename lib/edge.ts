import { CfnOutput, Stack, Token, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Requests per IP per 5 minutes (WAF's evaluation window) before WAF blocks that IP for a while. */
export type EdgeRateLimits = {
  /** Every path. */
  perIp: number;
  /** `/twilio/*`: Twilio sends from many addresses, so one IP flooding the webhooks stands out. */
  twilioPerIp: number;
  /** `/v1/agents*`: the admin routes, where a guess at the admin key would come in. */
  adminPerIp: number;
};

export const DEFAULT_EDGE_RATE_LIMITS: EdgeRateLimits = { perIp: 3000, twilioPerIp: 600, adminPerIp: 100 };

/** Paths the API serves behind the distribution; everything else is the default behaviour. */
export const API_PATH_PATTERNS = ['/v1/*', '/twilio/*', '/openapi.json'];

/**
 * The AWS WAF web ACL in front of ConsentLine: rate-based rules per IP (all paths, the Twilio
 * webhooks, the admin routes) and AWS's known-bad-inputs rules. CloudFront only accepts a web
 * ACL of scope CLOUDFRONT, and those exist only in us-east-1
 * (https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html):
 * create this construct in a stack deployed to us-east-1.
 */
export class ConsentLineWebAcl extends Construct {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: { limits?: Partial<EdgeRateLimits> } = {}) {
    super(scope, id);
    const limits = { ...DEFAULT_EDGE_RATE_LIMITS, ...props.limits };
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const pathStartsWith = (prefix: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: prefix,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const rateRule = (
      name: string,
      priority: number,
      limit: number,
      scopeDown?: wafv2.CfnWebACL.StatementProperty,
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit,
          evaluationWindowSec: 300,
          ...(scopeDown === undefined ? {} : { scopeDownStatement: scopeDown }),
        },
      },
      visibilityConfig: visibility(name),
    });

    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'ConsentLine: rate limits per IP in front of the API and the Twilio webhooks',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('ConsentLineEdge'),
      rules: [
        rateRule('AdminPerIp', 0, limits.adminPerIp, pathStartsWith('/v1/agents')),
        rateRule('TwilioPerIp', 1, limits.twilioPerIp, pathStartsWith('/twilio/')),
        rateRule('AllPerIp', 2, limits.perIp),
        {
          name: 'KnownBadInputs',
          priority: 3,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
          visibilityConfig: visibility('KnownBadInputs'),
        },
      ],
    });
    this.webAclArn = acl.attrArn;
  }
}

/** The web ACL alone, in a stack of its own pinned to us-east-1 (when the app runs elsewhere). */
export class ConsentLineEdgeWafStack extends Stack {
  readonly webAcl: ConsentLineWebAcl;

  constructor(scope: Construct, id: string, props: StackProps & { limits?: Partial<EdgeRateLimits> } = {}) {
    super(scope, id, { ...props, env: { account: props.env?.account, region: 'us-east-1' } });
    this.webAcl = new ConsentLineWebAcl(this, 'Waf', { limits: props.limits });
    new CfnOutput(this, 'WebAclArn', {
      description: 'Pass as CONSENTLINE_WEB_ACL_ARN when deploying ConsentLine outside us-east-1',
      value: this.webAcl.webAclArn,
    });
  }
}

export type ConsentLineEdgeProps = {
  api: apigw.IHttpApi;
  /**
   * ARN of a CLOUDFRONT-scope web ACL (from `ConsentLineEdgeWaf` in us-east-1). Without it the
   * web ACL is created here, which CloudFormation accepts only when this stack is in us-east-1;
   * a stack known to be elsewhere fails at synth, naming this option.
   */
  webAclArn?: string;
  limits?: Partial<EdgeRateLimits>;
  /**
   * The web console's private bucket: served as the default behaviour (`/`, `/index.html`,
   * assets) through Origin Access Control, while {@link API_PATH_PATTERNS} go to the API.
   * Without it the API is the default behaviour too.
   */
  consoleBucket?: s3.IBucket;
};

/**
 * CloudFront in front of the HTTP API (AWS WAF cannot attach to an HTTP API), with the web ACL's
 * per-IP rate rules. Nothing is cached: every request reaches the API with its headers (Twilio's
 * signature, the bearer key), query and body. The Twilio webhooks and the CLI use
 * `https://<domainName>`; Twilio signs that URL, so the functions verify against it.
 */
export class ConsentLineEdge extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly webAclArn: string;
  /** `https://<distribution domain>`, no trailing slash. */
  readonly url: string;
  private readonly apiOrigin: cloudfront.IOrigin;

  constructor(scope: Construct, id: string, props: ConsentLineEdgeProps) {
    super(scope, id);
    this.webAclArn = props.webAclArn ?? this.ownWebAcl(props.limits);

    const region = Stack.of(this).region;
    this.apiOrigin = new origins.HttpOrigin(
      `${props.api.apiId}.execute-api.${region}.${Stack.of(this).urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      },
    );
    const defaultBehavior =
      props.consoleBucket === undefined
        ? this.apiBehavior()
        : {
            origin: origins.S3BucketOrigin.withOriginAccessControl(props.consoleBucket),
            viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'ConsentLine: API and Twilio webhooks behind AWS WAF',
      defaultBehavior,
      additionalBehaviors: Object.fromEntries(
        API_PATH_PATTERNS.map((pattern) => [pattern, this.apiBehavior()]),
      ),
      defaultRootObject: props.consoleBucket === undefined ? undefined : 'index.html',
      webAclId: this.webAclArn,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /** One more path of the API behind the distribution (a route group added later). */
  addApiPath(pattern: string): void {
    this.distribution.addBehavior(pattern, this.apiOrigin, this.apiBehaviorOptions());
  }

  private apiBehavior(): cloudfront.BehaviorOptions {
    return { origin: this.apiOrigin, ...this.apiBehaviorOptions() };
  }

  private apiBehaviorOptions(): cloudfront.AddBehaviorOptions {
    return {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // API Gateway routes by its own Host; everything else the viewer sent is forwarded.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
  }

  private ownWebAcl(limits: Partial<EdgeRateLimits> | undefined): string {
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      throw new Error(
        `ConsentLineEdge: a CloudFront web ACL must live in us-east-1, this stack is in ${region}; ` +
          'deploy ConsentLineEdgeWaf (us-east-1) and pass its WebAclArn (CONSENTLINE_WEB_ACL_ARN)',
      );
    }
    return new ConsentLineWebAcl(this, 'Waf', { limits }).webAclArn;
  }
}

/** Whether a value is a WAF web ACL ARN of scope CLOUDFRONT (global), as `webAclArn` must be. */
export function isCloudFrontWebAclArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[0-9a-f-]+$/.test(arn);
}
