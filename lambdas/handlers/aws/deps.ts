import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { documentClient, dynamoStores, tableNamesFromEnv } from '../../adapters/dynamo';
import { eventBridgeReleaseScheduler } from '../../adapters/scheduler/release-scheduler';
import { sqsInboundCapture } from '../../adapters/sqs/inbound-capture';
import { sqsSendQueue } from '../../adapters/sqs/send-queue';
import { twilioSmsGateway } from '../../adapters/twilio/sms-gateway';
import type { SmsGateway } from '../../ports';
import type { Deps } from '../../usecases/deps';
import { loadSecrets, type LoadedSecrets, type SecretRead } from './app-secrets';
import { rebuildOnChange } from './rebuild-on-change';

/** The deps that hold no secret: clients and stores, built once per container. */
export type BaseDeps = Omit<Deps, 'sms' | 'config'>;

/** What the stack passes every function to find its resources; validated once per cold start. */
const resourcesEnvironment = z.object({
  SEND_QUEUE_URL: z.string().url(),
  SEND_QUEUE_ARN: z.string().startsWith('arn:'),
  SCHEDULER_GROUP: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
  SCHEDULER_DLQ_ARN: z.string().startsWith('arn:'),
  /** The SMS Fallback URL's capture queue. */
  SMS_FALLBACK_QUEUE_URL: z.string().url().optional(),
});

/** Where the function's secrets are; each is set only for the functions IAM lets read it. */
const secretsEnvironment = z.object({
  /** The URL Twilio calls and signs (the CloudFront distribution, or a custom domain). */
  PUBLIC_BASE_URL: z.string().url(),
  ADMIN_SECRET_ARN: z.string().min(1).optional(),
  ADMIN_PEPPER_SECRET_ARN: z.string().min(1).optional(),
  TWILIO_SECRET_ARN: z.string().min(1).optional(),
  /** How long a secret read is reused before Secrets Manager is asked again (a rotation's delay). */
  SECRET_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
});

export type LambdaEntryOptions = {
  env?: NodeJS.ProcessEnv;
  /** The Secrets Manager client behind the cache (tests point it at a stand-in). */
  secretsClient?: SecretsManagerClient;
  /** Clients and stores; the production ones from the environment by default. */
  base?: () => BaseDeps;
};

/**
 * A Lambda entry point for a handler factory. Every invocation reads the function's secrets
 * through Powertools Parameters' cache (at most `SECRET_MAX_AGE_SECONDS` old, 5 minutes by
 * default); when a secret changed — a rotated Twilio token or admin key — the config and the
 * handler are rebuilt, so the old value stops working within that age. A failed read is never
 * kept: that invocation fails and the next one reads again.
 */
export function lambdaEntry<E, C, R>(
  factory: (deps: Deps) => (event: E, context: C) => Promise<R>,
  options: LambdaEntryOptions = {},
) {
  let base: BaseDeps | undefined;
  let current: (() => Promise<(event: E, context: C) => Promise<R>>) | undefined;
  return async (event: E, context: C): Promise<R> => {
    if (current === undefined) {
      const env = parseEnvironment(secretsEnvironment, options.env ?? process.env);
      const provider = new SecretsProvider(
        options.secretsClient === undefined ? {} : { awsSdkV3Client: options.secretsClient },
      );
      const read: SecretRead = async (secretId) => {
        const value = await provider.get(secretId, { maxAge: env.SECRET_MAX_AGE_SECONDS });
        if (typeof value !== 'string') throw new Error(`secret ${secretId}: expected a SecretString`);
        return value;
      };
      const ids = {
        admin: env.ADMIN_SECRET_ARN,
        pepper: env.ADMIN_PEPPER_SECRET_ARN,
        twilio: env.TWILIO_SECRET_ARN,
      };
      current = rebuildOnChange(
        () => loadSecrets(read, ids),
        (secrets) => {
          base ??= (options.base ?? (() => awsBaseDeps(options.env ?? process.env)))();
          return factory(withSecrets(base, secrets, env.PUBLIC_BASE_URL));
        },
      );
    }
    return (await current())(event, context);
  };
}

/** Production clients and stores from the stack's environment. */
export function awsBaseDeps(source: NodeJS.ProcessEnv): BaseDeps {
  const env = parseEnvironment(resourcesEnvironment, source);
  return {
    clock: { now: () => new Date() },
    stores: dynamoStores({
      client: documentClient(new DynamoDBClient({})),
      tables: tableNamesFromEnv(source),
    }),
    queue: sqsSendQueue({ client: new SQSClient({}), queueUrl: env.SEND_QUEUE_URL }),
    ...(env.SMS_FALLBACK_QUEUE_URL === undefined
      ? {}
      : {
          inboundCapture: sqsInboundCapture({
            client: new SQSClient({}),
            queueUrl: env.SMS_FALLBACK_QUEUE_URL,
          }),
        }),
    scheduler: eventBridgeReleaseScheduler({
      client: new SchedulerClient({}),
      groupName: env.SCHEDULER_GROUP,
      targetArn: env.SEND_QUEUE_ARN,
      roleArn: env.SCHEDULER_ROLE_ARN,
      deadLetterArn: env.SCHEDULER_DLQ_ARN,
    }),
  };
}

function withSecrets(base: BaseDeps, secrets: LoadedSecrets, publicBaseUrl: string): Deps {
  const { twilio } = secrets;
  return {
    ...base,
    sms: twilio === undefined ? noTwilioAccess : twilioSmsGateway(twilio),
    config: {
      ...(secrets.adminKey === undefined ? {} : { adminKey: secrets.adminKey }),
      publicBaseUrl: publicBaseUrl.replace(/\/$/, ''),
      twilioAccountSid: twilio?.accountSid ?? '',
      twilioAuthToken: twilio?.authToken ?? '',
    },
  };
}

/** A function without the Twilio secret never sends: reaching this is a wiring mistake, said loudly. */
const noTwilioAccess: SmsGateway = {
  send: () =>
    Promise.reject(new Error('this function may not read the Twilio secret (lib/function-access.ts)')),
};

function parseEnvironment<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
