import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export type ApiEventOptions = {
  method: string;
  /** The route as API Gateway names it, e.g. `/v1/contacts/{phone}`; filled from `pathParameters` for rawPath. */
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** Serialised as JSON; use `rawBody` to send bytes that are not JSON. */
  body?: unknown;
  rawBody?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
};

/**
 * An API Gateway HTTP API (payload v2) event as the deployed Lambda would receive it.
 *
 * @example
 * apiEvent({ method: 'GET', path: '/v1/contacts/{phone}', pathParameters: { phone: '+12125550123' },
 *            headers: bearer(apiKey) })
 */
export function apiEvent(opts: ApiEventOptions): APIGatewayProxyEventV2 {
  const method = opts.method.toUpperCase();
  const rawPath = opts.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(opts.pathParameters?.[name] ?? ''),
  );
  const rawQueryString = new URLSearchParams(opts.query ?? {}).toString();
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const headers: Record<string, string> = { host: 'api.test', 'user-agent': 'jest', ...opts.headers };
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return {
    version: '2.0',
    routeKey: `${method} ${opts.path}`,
    rawPath,
    rawQueryString,
    headers,
    queryStringParameters: opts.query,
    pathParameters: opts.pathParameters,
    body,
    isBase64Encoded: opts.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: `${method} ${opts.path}`,
      stage: '$default',
      time: new Date(0).toUTCString(),
      timeEpoch: 0,
    },
  };
}

/** `Authorization: Bearer <key>`. */
export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** A Lambda context with the fields handlers read; no remaining-time callback, so middy sets no timeout. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
    memoryLimitInMB: '128',
    awsRequestId: 'test-request',
    logGroupName: '/aws/lambda/test',
    logStreamName: 'test',
    getRemainingTimeInMillis: undefined as unknown as () => number,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
