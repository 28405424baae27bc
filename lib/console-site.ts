import {
  AssetHashType,
  CfnOutput,
  DockerImage,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { buildConsole, consoleDir } from '../lambdas/client/web/build';
import { consoleSecurityHeaders } from '../lambdas/client/web/serve';

export type ConsoleSiteProps = {
  /** The HTTP API's endpoint, `https://<id>.execute-api.<region>.amazonaws.com`: served under `/v1/*`. */
  apiEndpoint: string;
};

/**
 * The web console on AWS: its static files in a private S3 bucket that only this CloudFront
 * distribution reads (origin access control), HTTPS only, the same security headers as the
 * local runtime sends, and the API under `/v1/*` of the same origin, so the console needs no
 * CORS and its CSP can stay `connect-src 'self'`.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);

    // CloudFront standard logs are written with ACLs, so this bucket lets the writer own objects.
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Assets', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'ConsentLine console: strict CSP, no framing, no sniffing, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleSecurityHeaders['content-security-policy']!,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: ['cross-origin-opener-policy', 'permissions-policy'].map((header) => ({
          header,
          value: consoleSecurityHeaders[header]!,
          override: true,
        })),
      },
    });

    // The endpoint is `https://host`; CloudFront wants the host alone.
    const apiDomain = Fn.select(2, Fn.split('/', props.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'ConsentLine console and API',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: {
        // Never cached; every viewer header but Host goes to API Gateway (it routes on its own
        // host name), the Authorization header included, as documented for this managed policy:
        // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
        '/v1/*': {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });

    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [consoleAsset()],
      // Hashed asset names never change content; only the page that names them must be fetched anew.
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html'],
      prune: true,
      memoryLimit: 256,
    });
    this.suppressNagFindings();
  }

  private suppressNagFindings(): void {
    NagSuppressions.addResourceSuppressions(
      this.logBucket,
      [
        {
          id: 'AwsSolutions-S1',
          reason:
            'This bucket receives the access logs of the console bucket and of CloudFront; logging it ' +
            'into itself would log every log delivery.',
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      this.distribution,
      [
        {
          id: 'AwsSolutions-CFR1',
          reason:
            'Agents text US and Canadian numbers but travel; the console and API authenticate every ' +
            'request with an API key, so a geographic block adds no protection worth locking them out.',
        },
        {
          id: 'AwsSolutions-CFR2',
          reason:
            'The web ACL with rate rules is attached by the edge construct (lib/edge.ts) that fronts the ' +
            'API; this distribution is merged into it.',
        },
        {
          id: 'AwsSolutions-CFR4',
          reason:
            'Until a custom domain and its ACM certificate are configured the default *.cloudfront.net ' +
            'certificate is used, for which CloudFront fixes the policy; TLSv1.2_2021 is set for when one is.',
        },
      ],
      true,
    );
    // The deployment's function is a singleton CDK places at the stack's root.
    const deploymentFunctions = Stack.of(this).node.children.filter((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    NagSuppressions.addResourceSuppressions(
      deploymentFunctions,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "CDK's bucket deployment function logs with AWSLambdaBasicExecutionRole; it runs only during " +
            'a deployment and its role is CDK-managed.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "CDK's bucket deployment copies every file of the asset into the console bucket and prunes " +
            'old ones, so it needs object wildcards on the staging and console buckets.',
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "The bucket deployment function's runtime is chosen by aws-cdk-lib and moves with its upgrades.",
        },
      ],
      true,
    );
  }
}

/** The built console as a CDK asset: `cdk synth` runs the Vite build locally, offline. */
function consoleAsset(): s3deploy.ISource {
  return s3deploy.Source.asset(consoleDir, {
    exclude: ['dist', '.build-lock'],
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local build below always succeeds or throws.
      image: DockerImage.fromRegistry('node:22'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildConsole(outputDir);
          return true;
        },
      },
    },
  });
}

export type ConsoleSiteStackProps = StackProps & ConsoleSiteProps;

/** The console in its own stack beside the API's, which it reads the endpoint of. */
export class ConsoleSiteStack extends Stack {
  readonly site: ConsoleSite;

  constructor(scope: Construct, id: string, props: ConsoleSiteStackProps) {
    super(scope, id, props);
    this.site = new ConsoleSite(this, 'Console', { apiEndpoint: props.apiEndpoint });
    new CfnOutput(this, 'ConsoleUrl', {
      description: 'The web console (sign in with an agent API key or the admin key)',
      value: `https://${this.site.distribution.distributionDomainName}/`,
    });
  }
}
