import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { composeBaseDeps, withAccess, type BaseDeps } from '../../adapters/compose-deps';
import { documentClient, tableNamesFromEnv } from '../../adapters/dynamo';
import type { Deps } from '../../usecases/deps';
import { loadSecrets, type LoadedSecrets, type SecretRead } from './app-secrets';
import { rebuildOnChange } from './rebuild-on-change';

export type { BaseDeps } from '../../adapters/compose-deps';

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
  const clients = {
    dynamo: documentClient(new DynamoDBClient({})),
    sqs: new SQSClient({}),
    scheduler: new SchedulerClient({}),
  };
  return composeBaseDeps(
    clients,
    {
      tables: tableNamesFromEnv(source),
      sendQueue: { url: env.SEND_QUEUE_URL, arn: env.SEND_QUEUE_ARN },
      releases: {
        groupName: env.SCHEDULER_GROUP,
        roleArn: env.SCHEDULER_ROLE_ARN,
        deadLetterArn: env.SCHEDULER_DLQ_ARN,
      },
      ...(env.SMS_FALLBACK_QUEUE_URL === undefined ? {} : { fallbackQueueUrl: env.SMS_FALLBACK_QUEUE_URL }),
    },
    { now: () => new Date() },
  );
}

function withSecrets(base: BaseDeps, secrets: LoadedSecrets, publicBaseUrl: string): Deps {
  return withAccess(base, {
    publicBaseUrl,
    ...(secrets.twilio === undefined ? {} : { twilio: secrets.twilio }),
    ...(secrets.adminKey === undefined ? {} : { adminKey: secrets.adminKey }),
  });
}

function parseEnvironment<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
