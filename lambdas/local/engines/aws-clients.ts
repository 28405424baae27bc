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
 * DynamoDB Local and fauxqs want an `Authorization` header naming an access key but check no
 * signature (DynamoDB Local keys its databases by the key, "your credentials won't be checked":
 * https://github.com/aws/aws-sdk-js/issues/880; with -sharedDb not even that):
 * fauxqs takes the region of its queue URLs and ARNs from the header's credential scope
 * (`regionFromAuth` in fauxqs/dist/common/types.js), so the scope names {@link LOCAL_REGION}.
 * A fixed header spares every call the SigV4 work — the canonical request and the HMAC chain —
 * which measured 0.2 of the 1.1 ms of Node CPU a warm GetItem or Query costs here.
 */
function fixedAuthorization(service: string) {
  const authorization = `AWS4-HMAC-SHA256 Credential=local/20260101/${LOCAL_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  return async () => ({
    sign: async <R extends { headers: Record<string, string> }>(request: R): Promise<R> => {
      request.headers.authorization = authorization;
      return request;
    },
  });
}

/**
 * The SDK's logger middleware builds a sensitive-data-filtered copy of every input and output
 * even for its no-op logger; the local engines' clients log nothing, so they skip it. Nor does
 * an engine read the user agent the SDK composes and escapes for every request, or the X-Ray
 * trace header a Lambda's recursion detection adds.
 */
function withoutUnreadMiddleware<C extends DynamoDBClient | SQSClient>(client: C): C {
  for (const name of ['loggerMiddleware', 'getUserAgentMiddleware', 'recursionDetectionMiddleware'])
    client.middlewareStack.remove(name);
  return client;
}

/**
 * The engine's endpoint for every request: the SDK's default provider evaluates the service's
 * endpoint rule set (region, FIPS, dual-stack, account-id routing) per request just to arrive at
 * the configured endpoint, which measured ~3 % of Node's CPU in a simulation.
 */
function fixedEndpoint(endpoint: string) {
  return () => ({ url: new URL(endpoint) });
}

/**
 * A DynamoDB client for DynamoDB Local, shared by the local runtime and the tests.
 *
 * @example
 * const dynamo = localDynamoClient(process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000');
 */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return withoutUnreadMiddleware(
    new DynamoDBClient({
      ...LOCAL_CLIENT_DEFAULTS,
      endpoint,
      endpointProvider: fixedEndpoint(endpoint),
      signer: fixedAuthorization('dynamodb'),
    }),
  );
}

/**
 * An SQS client for fauxqs. The endpoint is always explicit so a misconfigured run can never
 * reach a real AWS queue.
 */
export function localSqsClient(endpoint: string): SQSClient {
  return withoutUnreadMiddleware(
    new SQSClient({
      ...LOCAL_CLIENT_DEFAULTS,
      endpoint,
      endpointProvider: fixedEndpoint(endpoint),
      signer: fixedAuthorization('sqs'),
    }),
  );
}
