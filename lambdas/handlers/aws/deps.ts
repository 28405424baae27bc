import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { documentClient, dynamoStores, tableNamesFromEnv } from '../../adapters/dynamo';
import { eventBridgeReleaseScheduler } from '../../adapters/scheduler/release-scheduler';
import { sqsSendQueue } from '../../adapters/sqs/send-queue';
import { twilioNumberLookup } from '../../adapters/twilio/number-lookup';
import { twilioSmsGateway } from '../../adapters/twilio/sms-gateway';
import type { Deps } from '../../usecases/deps';

/** What the stack passes every function; validated once per cold start. */
const environment = z.object({
  SEND_QUEUE_URL: z.string().url(),
  SEND_QUEUE_ARN: z.string().startsWith('arn:'),
  SCHEDULER_GROUP: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
  SCHEDULER_DLQ_ARN: z.string().startsWith('arn:'),
  /** Overrides the secret's `publicBaseUrl` (e.g. a custom domain set at deploy time). */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Secrets Manager secret: JSON `{ accountSid, authToken, adminKeyHash, publicBaseUrl }`. */
  APP_SECRET_ARN: z.string().min(1),
});

const secretShape = z.object({
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/i, 'accountSid: expected AC + 32 hex'),
  authToken: z.string().min(16),
  adminKeyHash: z.string().regex(/^[0-9a-f]{64}$/, 'adminKeyHash: expected a sha256 hex digest'),
  // The API's URL is known only after the first deploy, so the operator stores it here then
  // (README, "Deploy"); Twilio signs webhooks over it.
  publicBaseUrl: z.string().url(),
});

let cached: Promise<Deps> | undefined;

/** Production `Deps`, built once per cold start from the stack's environment and secret. */
export function awsDeps(): Promise<Deps> {
  cached ??= build();
  return cached;
}

async function build(): Promise<Deps> {
  const parsed = environment.safeParse(process.env);
  if (!parsed.success) throw new Error(`configuration: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  const secret = secretShape.parse(await getSecret(env.APP_SECRET_ARN, { transform: 'json', maxAge: 300 }));
  const dynamo = new DynamoDBClient({});
  return {
    clock: { now: () => new Date() },
    stores: dynamoStores({ client: documentClient(dynamo), tables: tableNamesFromEnv() }),
    queue: sqsSendQueue({ client: new SQSClient({}), queueUrl: env.SEND_QUEUE_URL }),
    scheduler: eventBridgeReleaseScheduler({
      client: new SchedulerClient({}),
      groupName: env.SCHEDULER_GROUP,
      targetArn: env.SEND_QUEUE_ARN,
      roleArn: env.SCHEDULER_ROLE_ARN,
      deadLetterArn: env.SCHEDULER_DLQ_ARN,
    }),
    sms: twilioSmsGateway({ accountSid: secret.accountSid, authToken: secret.authToken }),
    lookup: twilioNumberLookup({ accountSid: secret.accountSid, authToken: secret.authToken }),
    config: {
      adminKeyHash: secret.adminKeyHash,
      publicBaseUrl: (env.PUBLIC_BASE_URL ?? secret.publicBaseUrl).replace(/\/$/, ''),
      twilioAccountSid: secret.accountSid,
      twilioAuthToken: secret.authToken,
    },
  };
}

/**
 * A Lambda entry point for a handler factory: the factory runs once, on the first invocation,
 * with the production dependencies.
 */
export function lambdaEntry<E, C, R>(factory: (deps: Deps) => (event: E, context: C) => Promise<R>) {
  let handler: ((event: E, context: C) => Promise<R>) | undefined;
  return async (event: E, context: C): Promise<R> => {
    handler ??= factory(await awsDeps());
    return handler(event, context);
  };
}
