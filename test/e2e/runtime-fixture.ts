import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../lambdas/local/runtime';
import { uniquePrefix } from '../support/dynamo';

/**
 * The local runtime for an e2e test file, on the engines jest's global setup started (an SQS
 * engine cannot start inside a test worker), with its own tables and queues.
 */
export async function startTestRuntime(
  options: Omit<LocalRuntimeOptions, 'engines' | 'port'> = {},
): Promise<LocalRuntime> {
  const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT;
  const sqsEndpoint = process.env.SQS_ENDPOINT;
  if (!dynamoEndpoint || !sqsEndpoint)
    throw new Error('DYNAMODB_ENDPOINT and SQS_ENDPOINT come from jest globalSetup');
  const namespace = uniquePrefix()
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 24);
  return startLocalRuntime({ ...options, port: 0, engines: { dynamoEndpoint, sqsEndpoint, namespace } });
}
