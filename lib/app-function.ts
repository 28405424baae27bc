import * as path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { entryPath } from './function-entries';

const projectRoot = path.join(__dirname, '..');

export type AppFunctionOptions = {
  timeout: Duration;
  environment: Record<string, string>;
  /** Concurrency kept for (and capping) this function; none by default. */
  reservedConcurrentExecutions?: number;
};

/** `agents.create` → `AgentsCreate`, `send-worker` → `SendWorker`: a construct id for a function key. */
export function functionConstructId(key: string): string {
  return key
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}

/**
 * One ConsentLine Lambda function for `key`, bundled from its entry file with esbuild on this
 * machine (no Docker): Node.js 22 on arm64, minified CommonJS with a source map, the AWS SDK left
 * to the runtime (Powertools, middy and zod are bundled; zod without its locales). Its role starts empty except for writing
 * its own log group; every other permission is granted by the stack.
 */
export function appFunction(scope: Construct, key: string, options: AppFunctionOptions): NodejsFunction {
  const id = functionConstructId(key);
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
  const role = new iam.Role(scope, `${id}Role`, {
    description: `ConsentLine ${key} function`,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup on every group): this group only.
  logGroup.grantWrite(role);

  return new NodejsFunction(scope, `${id}Function`, {
    description: `ConsentLine ${key}`,
    entry: entryPath(key),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: options.timeout,
    reservedConcurrentExecutions: options.reservedConcurrentExecutions,
    role,
    logGroup,
    environment: { POWERTOOLS_SERVICE_NAME: 'consentline', ...options.environment },
    projectRoot,
    depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
    bundling: {
      minify: true,
      sourceMap: true,
      // Stack traces resolve through the map's names; the sources themselves stay out of the zip.
      sourcesContent: false,
      target: 'node22',
      format: OutputFormat.CJS,
      // The Node.js 22 runtime ships AWS SDK v3; everything else (Powertools too) is bundled.
      externalModules: ['@aws-sdk/*'],
      // zod's 40 locales (~260 KB a bundle) are dropped by tree-shaking because the code imports
      // zod as a namespace (`import * as z`), which lint enforces.
      forceDockerBundling: false,
    },
  });
}
