import { startDynamoDbLocal, type DynamoDbLocal } from '../../lambdas/local/engines/dynamodb-local';
import { startFauxqs, type Fauxqs } from '../../lambdas/local/engines/fauxqs';

/** The engines one jest run shares; teardown stops them. */
export interface TestEngines {
  dynamo: DynamoDbLocal;
  sqs: Fauxqs;
}

// globalSetup and globalTeardown run in jest's parent process, which lives for the whole run
// (and serves the in-process fauxqs), so a global carries the handles from one to the other.
const ENGINES_KEY = '__consentlineTestEngines';
const holder = globalThis as typeof globalThis & { [ENGINES_KEY]?: TestEngines };

/** Hands over the running engines once; later calls get undefined. */
export function takeTestEngines(): TestEngines | undefined {
  const engines = holder[ENGINES_KEY];
  delete holder[ENGINES_KEY];
  return engines;
}

/**
 * Jest globalSetup: starts one DynamoDB Local and one fauxqs for the whole run and publishes
 * their endpoints in DYNAMODB_ENDPOINT and SQS_ENDPOINT, which test workers inherit.
 * Test files keep out of each other's way with `uniquePrefix()` table and queue names.
 */
export default async function globalSetup(): Promise<void> {
  // Lambda runs Node 22+; the SDK warns on every client under the Node 20 these machines have.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Handlers log every webhook at INFO; tests read outcomes, not logs.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const [dynamo, sqs] = await Promise.all([startDynamoDbLocal(), startFauxqs()]);
  holder[ENGINES_KEY] = { dynamo, sqs };
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.SQS_ENDPOINT = sqs.endpoint;
}
