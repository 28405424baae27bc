import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../lambdas/local/runtime';
import { uniquePrefix } from '../support/dynamo';
import { httpClient, type ApiCall, type Reply } from './api-client';

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

/** An e2e test file's runtime and what its tests do through the API. */
export type TestRuntime = {
  /** Set in beforeAll. */
  runtime: LocalRuntime;
  /** The runtime's HTTP API. */
  call: ApiCall;
  /** Creates an agent through the admin API: Dana Reyes of Harbor Realty unless `fields` say otherwise. */
  newAgent(fields: {
    senderNumber: string;
    forwardTo: string;
    name?: string;
  }): Promise<{ agentId: string; apiKey: string }>;
  /** Records express written consent to texts, on a signed form, through the agent's API. */
  writtenConsent(
    apiKey: string,
    phone: string,
    consent: { at: string; evidence: string; capturedBy?: string },
  ): Promise<Reply>;
  /** A text from `from` to `to`, sent from the simulated phone. */
  text(from: string, to: string, body: string): Promise<Reply>;
  /** What the simulated phone `phone` has received. */
  inbox(phone: string): Promise<Array<{ body: string; from: string; origin: string }>>;
};

/**
 * {@link startTestRuntime} for one test file: call at its top level; the runtime starts in
 * beforeAll and stops in afterAll.
 */
export function useTestRuntime(options: Omit<LocalRuntimeOptions, 'engines' | 'port'> = {}): TestRuntime {
  let client: ApiCall | undefined;
  const call: ApiCall = (...args) => {
    if (client === undefined) throw new Error('the runtime starts in beforeAll');
    return client(...args);
  };
  const e2e: TestRuntime = {
    runtime: undefined as unknown as LocalRuntime,
    call,
    async newAgent({ name = 'Dana Reyes', senderNumber, forwardTo }) {
      const reply = await call('POST', '/v1/agents', e2e.runtime.adminKey, {
        name,
        brokerage: 'Harbor Realty',
        senderNumber,
        forwardTo,
      });
      if (reply.status !== 201) throw new Error(`agent not created: ${JSON.stringify(reply.body)}`);
      return reply.body as { agentId: string; apiKey: string };
    },
    writtenConsent: (apiKey, phone, { at, evidence, capturedBy = 'Dana Reyes' }) =>
      call('POST', `/v1/contacts/${phone}/consent`, apiKey, {
        type: 'express_written',
        method: 'signed_form',
        at,
        capturedBy,
        evidence,
        channel: 'sms',
      }),
    text: (from, to, body) => call('POST', '/local/phone/sms', undefined, { from, to, body }),
    inbox: async (phone) =>
      (await call('GET', `/local/phone/${encodeURIComponent(phone)}/inbox`)).body.messages,
  };
  beforeAll(async () => {
    e2e.runtime = await startTestRuntime(options);
    client = httpClient(e2e.runtime.baseUrl);
  }, 90_000);
  afterAll(async () => {
    await e2e.runtime?.stop();
  });
  return e2e;
}
