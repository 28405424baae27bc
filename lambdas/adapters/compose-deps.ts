import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, NumberLookup, SmsGateway } from '../ports';
import type { AdminKeyCheck } from '../usecases/admin-key';
import type { Deps } from '../usecases/deps';
import { dynamoStores } from './dynamo';
import type { TableNames } from './dynamo/tables';
import { eventBridgeReleaseScheduler } from './scheduler/release-scheduler';
import { sqsInboundCapture } from './sqs/inbound-capture';
import { sqsSendQueue } from './sqs/send-queue';
import { twilioNumberLookup } from './twilio/number-lookup';
import { twilioSmsGateway } from './twilio/sms-gateway';

/** The AWS SDK clients the adapters wrap: production ones, or ones pointed at the local engines. */
export type DepsClients = { dynamo: DynamoDBDocumentClient; sqs: SQSClient; scheduler: SchedulerClient };

/** Where the stateful resources are. */
export type DepsResources = {
  tables: TableNames;
  sendQueue: { url: string; arn: string };
  /** The release schedules' group, the role Scheduler assumes and the dead-letter queue of its target. */
  releases: { groupName: string; roleArn: string; deadLetterArn: string };
  /** The SMS Fallback URL's capture queue; only that function has it. */
  fallbackQueueUrl?: string;
};

/** Twilio's account, where the function may read its secret; `baseUrl` points at a stand-in. */
export type TwilioAccess = { accountSid: string; authToken: string; baseUrl?: string; timeoutMs?: number };

export type DepsConfig = {
  resources: DepsResources;
  /** The URL Twilio calls and signs, no trailing slash needed. */
  publicBaseUrl: string;
  /** Absent in a function that may not read the Twilio secret: it never sends and never looks up. */
  twilio?: TwilioAccess;
  adminKey?: AdminKeyCheck;
};

/** The deps that hold no secret: clock, stores, queue, scheduler, built once per container. */
export type BaseDeps = Omit<Deps, 'sms' | 'lookup' | 'config'>;

/**
 * Everything a use case may touch, from clients, configuration and a clock: the one composition
 * of adapters, used by the Lambda entries and the local runtime alike.
 * @example
 * const deps = composeDeps({ clients, config: { resources, publicBaseUrl, twilio }, clock });
 */
export function composeDeps(parts: { clients: DepsClients; config: DepsConfig; clock: Clock }): Deps {
  return withAccess(composeBaseDeps(parts.clients, parts.config.resources, parts.clock), parts.config);
}

/** The secret-free half of {@link composeDeps}. */
export function composeBaseDeps(clients: DepsClients, resources: DepsResources, clock: Clock): BaseDeps {
  return {
    clock,
    stores: dynamoStores({ client: clients.dynamo, tables: resources.tables }),
    queue: sqsSendQueue({ client: clients.sqs, queueUrl: resources.sendQueue.url }),
    ...(resources.fallbackQueueUrl === undefined
      ? {}
      : { inboundCapture: sqsInboundCapture({ client: clients.sqs, queueUrl: resources.fallbackQueueUrl }) }),
    scheduler: eventBridgeReleaseScheduler({
      client: clients.scheduler,
      groupName: resources.releases.groupName,
      targetArn: resources.sendQueue.arn,
      roleArn: resources.releases.roleArn,
      deadLetterArn: resources.releases.deadLetterArn,
    }),
  };
}

/** Completes `base` with Twilio and the config: rebuilt when a secret rotates. */
export function withAccess(base: BaseDeps, config: Omit<DepsConfig, 'resources'>): Deps {
  const { twilio } = config;
  return {
    ...base,
    sms: twilio === undefined ? noTwilioAccess : twilioSmsGateway(twilio),
    lookup: twilio === undefined ? noLookupAccess : twilioNumberLookup(twilio),
    config: {
      ...(config.adminKey === undefined ? {} : { adminKey: config.adminKey }),
      publicBaseUrl: config.publicBaseUrl.replace(/\/$/, ''),
      twilioAccountSid: twilio?.accountSid ?? '',
      twilioAuthToken: twilio?.authToken ?? '',
    },
  };
}

/** A function without the Twilio secret never sends: reaching this is a wiring mistake, said loudly. */
const noLookupAccess: NumberLookup = {
  reassigned: () => Promise.resolve({ ok: false, reason: 'this function may not read the Twilio secret' }),
  lineType: () => Promise.resolve({ ok: false, reason: 'this function may not read the Twilio secret' }),
};

const noTwilioAccess: SmsGateway = {
  send: () =>
    Promise.reject(new Error('this function may not read the Twilio secret (lib/function-access.ts)')),
};
