import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Secrets Manager's `GetSecretValue` over its JSON 1.1 protocol
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html):
 * POST with `X-Amz-Target: secretsmanager.GetSecretValue` and `{"SecretId"}`; an unknown id is
 * a 400 `ResourceNotFoundException`. `failNext` answers the next reads with a 500
 * `InternalServiceError`, as the service does in a bad minute. `reads` counts what reached it.
 */
export async function startSecretsManagerStandIn(initial: Record<string, string>) {
  const secrets = new Map(Object.entries(initial));
  let failures = 0;
  let reads = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      reads += 1;
      const reply = (status: number, payload: unknown) =>
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return reply(400, { __type: 'UnknownOperationException', message: 'not modelled' });
      }
      if (failures > 0) {
        failures -= 1;
        return reply(500, { __type: 'InternalServiceError', message: 'try again' });
      }
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      const value = secrets.get(SecretId);
      if (value === undefined) {
        return reply(400, { __type: 'ResourceNotFoundException', message: `no secret ${SecretId}` });
      }
      return reply(200, {
        ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${SecretId}`,
        Name: SecretId,
        SecretString: value,
        VersionId: `v-${reads}`,
        CreatedDate: Date.now() / 1000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    client: new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // One attempt: a failure must reach the code under test, not be retried away by the SDK.
      maxAttempts: 1,
    }),
    put: (id: string, value: string) => void secrets.set(id, value),
    failNext: (count: number) => void (failures = count),
    reads: () => reads,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
