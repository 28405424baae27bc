import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Region every local engine pretends to be in; DynamoDB Local runs with -sharedDb so it is not a partition. */
export const LOCAL_REGION = 'us-east-1';

// The engines accept any credentials; static ones stop the SDK from walking the default
// provider chain (env, ~/.aws, IMDS), which would be slow offline or pick up a real account.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

// A local engine either answers at once or is down: two attempts, and a short connect timeout
// so a dead engine fails the caller quickly instead of hanging until a test timeout.
const LOCAL_CLIENT_DEFAULTS = {
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 2_000 },
};

/**
 * A DynamoDB client for DynamoDB Local, shared by the local runtime and the tests.
 *
 * @example
 * const dynamo = localDynamoClient(process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000');
 */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ ...LOCAL_CLIENT_DEFAULTS, endpoint });
}

/**
 * An SQS client for fauxqs. The endpoint is always explicit so a misconfigured run can never
 * reach a real AWS queue.
 */
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ ...LOCAL_CLIENT_DEFAULTS, endpoint });
}
