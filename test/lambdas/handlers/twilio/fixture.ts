import { enforceFunctionAccess, runAs } from '../../../../lambdas/local/access-standin';
import { randomBytes, randomInt } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../../../lambdas/adapters/dynamo';
import { signTwilioRequest } from '../../../../lambdas/adapters/twilio/signature';
import { decide, type Decision } from '../../../../lambdas/compliance/gate';
import type { HttpHandler } from '../../../../lambdas/handlers/http/middleware';
import { createTwilioSmsHandler } from '../../../../lambdas/handlers/twilio/sms';
import { createTwilioStatusHandler } from '../../../../lambdas/handlers/twilio/status';
import { createTwilioVoiceHandler } from '../../../../lambdas/handlers/twilio/voice';
import { TestClock } from '../../../../lambdas/local/test-clock';
import type { Agent, LedgerEventDraft, MessageRecord } from '../../../../lambdas/ports';
import { loadConsentRecords } from '../../../../lambdas/usecases/consent-events';
import type { Deps } from '../../../../lambdas/usecases/deps';
import type { InboundSms } from '../../../../lambdas/usecases/inbound-sms';
import { newMessageRecord } from '../../../../lambdas/usecases/message-records';
import { freshTables } from '../../../support/dynamo';
import { apiEvent, lambdaContext } from '../../../support/http-events';
import { testDeps } from '../../../support/deps';
import { queueOneByOne } from '../../../../lambdas/adapters/sqs/queue-one-by-one';

/** Tuesday 11:00 in New York: inside every window, no holiday. */
export const FIXTURE_NOW = '2026-03-10T15:00:00.000Z';
export const PUBLIC_BASE_URL = 'https://hooks.consentline.test';
export const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
export const AUTH_TOKEN = 'twilio-test-auth-token';

export type WebhookPath = '/twilio/sms' | '/twilio/status' | '/twilio/voice';

export type WebhookReply = { status: number; body: string; contentType: string };

/** How a test tampers with a webhook: sign with another token or URL, or change the form after signing. */
export type Tampering = {
  signWith?: { authToken?: string; url?: string };
  signature?: string | null;
  afterSigning?: (params: Record<string, string>) => Record<string, string>;
  base64?: boolean;
  contentType?: string;
  /** The URL's query (signed with it), e.g. a status callback's `messageId`. */
  query?: Record<string, string>;
};

export type TwilioFixture = {
  deps: Deps;
  clock: TestClock;
  client: DynamoDBClient;
  db: DynamoDBDocumentClient;
  tables: TableNames;
  enqueue: jest.Mock<Promise<void>, [{ messageId: string; phone: string; dedupSuffix?: string }]>;
  handlers: Record<WebhookPath, HttpHandler>;
  /** Posts a form to a webhook, signed as Twilio signs it unless `tampering` says otherwise. */
  post(path: WebhookPath, params: Record<string, string>, tampering?: Tampering): Promise<WebhookReply>;
  /** The form of an inbound text as Twilio posts it. */
  inboundSms(sms: { from: string; to: string; body: string; sid?: string }): Record<string, string>;
  newAgent(overrides?: Partial<Agent>): Promise<Agent>;
  /** Appends a consent event at `at` (default: a day before now). */
  consent(agent: Agent, phone: string, draft?: Partial<LedgerEventDraft>): Promise<void>;
  /** The gate's verdict for an automated text from `agent` to `phone` now, from fresh reads. */
  gate(agent: Agent, phone: string): Promise<Decision>;
  /** How many items a table holds (tests only: a Scan). */
  count(table: keyof TableNames): Promise<number>;
  /**
   * Stores a manual text of `agent` to a random phone as the send worker leaves it once Twilio
   * took it (`sent`, with its SID); `fields` override any part.
   */
  sentMessage(agent: Agent, fields?: Partial<MessageRecord>): Promise<MessageRecord>;
};

/**
 * The production Twilio webhooks on the production DynamoDB adapters, against fresh tables on
 * the DynamoDB Local started by jest's globalSetup. Only the send queue is a recording fake:
 * these webhooks never call Twilio themselves.
 */
export async function twilioFixture(): Promise<TwilioFixture> {
  const { client, db, tables } = await freshTables();
  // Each webhook's requests are held to its function's grants, as IAM holds them on AWS.
  enforceFunctionAccess({ dynamo: client }, { tables });
  const clock = new TestClock(new Date(FIXTURE_NOW));
  const enqueue = jest.fn(
    async (_message: { messageId: string; phone: string; dedupSuffix?: string }) => undefined,
  );
  const deps = testDeps({
    client: db,
    tables,
    clock,
    subject: 'the webhooks',
    config: { publicBaseUrl: PUBLIC_BASE_URL, twilioAccountSid: ACCOUNT_SID, twilioAuthToken: AUTH_TOKEN },
    with: { queue: queueOneByOne(enqueue) },
  });
  const handlers: Record<WebhookPath, HttpHandler> = {
    '/twilio/sms': createTwilioSmsHandler(deps),
    '/twilio/status': createTwilioStatusHandler(deps),
    '/twilio/voice': createTwilioVoiceHandler(deps),
  };
  const functionOf: Record<WebhookPath, string> = {
    '/twilio/sms': 'twilio.sms',
    '/twilio/status': 'twilio.status',
    '/twilio/voice': 'twilio.voice',
  };

  const post = async (path: WebhookPath, params: Record<string, string>, tampering: Tampering = {}) => {
    const signature = signTwilioRequest({
      authToken: tampering.signWith?.authToken ?? AUTH_TOKEN,
      url: tampering.signWith?.url ?? `${PUBLIC_BASE_URL}${path}${queryOf(tampering.query)}`,
      params,
    });
    const sent = tampering.afterSigning ? tampering.afterSigning({ ...params }) : params;
    const form = new URLSearchParams(sent).toString();
    const headers: Record<string, string> = {
      'Content-Type': tampering.contentType ?? 'application/x-www-form-urlencoded',
      'User-Agent': 'TwilioProxy/1.1',
    };
    const header = tampering.signature === undefined ? signature : tampering.signature;
    if (header !== null) headers['X-Twilio-Signature'] = header;
    const event = apiEvent({
      method: 'POST',
      path,
      ...(tampering.query === undefined ? {} : { query: tampering.query }),
      rawBody: tampering.base64 ? Buffer.from(form).toString('base64') : form,
      isBase64Encoded: tampering.base64 ?? false,
      headers,
    });
    const result = await runAs(functionOf[path], () => handlers[path](event, lambdaContext()));
    return {
      status: result.statusCode ?? 200,
      body: result.body ?? '',
      contentType: String(result.headers?.['content-type'] ?? ''),
    };
  };

  const inboundSms = (sms: { from: string; to: string; body: string; sid?: string }) => {
    const sid = sms.sid ?? newMessageSid();
    return {
      ToCountry: 'US',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: sms.body,
      To: sms.to,
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      From: sms.from,
      ApiVersion: '2010-04-01',
    };
  };

  const newAgent = async (overrides: Partial<Agent> = {}): Promise<Agent> => {
    const agent: Agent = {
      agentId: `agt_${randomBytes(8).toString('hex')}`,
      name: 'Dana Reyes',
      brokerage: 'Harbor Realty',
      senderNumber: randomPhone(),
      forwardTo: randomPhone(),
      doubleOptIn: false,
      suspended: false,
      createdAt: clock.now().toISOString(),
      ...overrides,
    };
    await deps.stores.agents.create(agent, randomBytes(32).toString('hex'));
    return agent;
  };

  const consent = async (agent: Agent, phone: string, draft: Partial<LedgerEventDraft> = {}) => {
    const at = new Date(clock.now().getTime() - 86_400_000).toISOString();
    await deps.stores.ledger.append(
      {
        agentId: agent.agentId,
        phone,
        channel: 'sms',
        type: 'express_written',
        at,
        method: 'signed_form',
        evidence: 'listing inquiry form, texting box ticked',
        capturedBy: 'agent',
        ...draft,
      },
      clock.now().toISOString(),
    );
  };

  const gate = async (agent: Agent, phone: string) => {
    const { events } = await loadConsentRecords(deps.stores, agent.agentId, phone);
    return decide({
      at: clock.now(),
      purpose: 'automated',
      agent: { id: agent.agentId, name: agent.name, brokerage: agent.brokerage, suspended: agent.suspended },
      recipient: { phone },
      consentEvents: events,
      body: 'New listings near you this week.',
    });
  };

  const count = async (table: keyof TableNames) => {
    const { Count } = await db.send(new ScanCommand({ TableName: tables[table], Select: 'COUNT' }));
    return Count ?? 0;
  };

  const sentMessage = async (agent: Agent, fields: Partial<MessageRecord> = {}) => {
    const at = clock.now().toISOString();
    const twilioSid = newMessageSid();
    const message: MessageRecord = {
      ...newMessageRecord({
        agentId: agent.agentId,
        phone: randomPhone(),
        kind: 'manual',
        purpose: 'manual',
        body: 'Dana Reyes: the open house moved to 2pm.',
        at: clock.now(),
      }),
      status: 'sent',
      history: [
        { status: 'queued', at },
        { status: 'sending', at },
        { status: 'sent', at, twilioSid },
      ],
      twilioSid,
      ...fields,
    };
    await deps.stores.messages.create(message);
    return message;
  };

  return {
    deps,
    clock,
    client,
    db,
    tables,
    enqueue,
    handlers,
    post,
    inboundSms,
    newAgent,
    consent,
    gate,
    count,
    sentMessage,
  };
}

/**
 * {@link twilioFixture} for one describe, with one agent (`agent`, made of `agent` overrides):
 * call at its top; the fields are filled in beforeAll.
 */
export function useTwilioFixture(agent: Partial<Agent> = {}): TwilioFixture & { agent: Agent } {
  const fixture = {} as TwilioFixture & { agent: Agent };
  beforeAll(async () => {
    Object.assign(fixture, await twilioFixture());
    fixture.agent = await fixture.newAgent(agent);
  });
  return fixture;
}

/** A text from `from` to the agent's number, as the webhook hands it to the inbound use case. */
export function textTo(agent: Agent, from: string, body: string, optOutType?: string): InboundSms {
  return {
    messageSid: newMessageSid(),
    from,
    to: agent.senderNumber,
    body,
    ...(optOutType === undefined ? {} : { optOutType }),
  };
}

/** A random valid New York number in E.164. */
function queryOf(query: Record<string, string> | undefined): string {
  return query === undefined ? '' : `?${new URLSearchParams(query).toString()}`;
}

export function randomPhone(): string {
  return `+1212${randomInt(2_000_000, 10_000_000)}`;
}

/** A Twilio message SID: `SM` and 32 hex digits. */
export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** The empty TwiML answer. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
