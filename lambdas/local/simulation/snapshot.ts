import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../engines/aws-clients';
import type { LocalRuntime } from '../runtime';
import type { RunSnapshot } from './snapshot-types';

// The agents table also holds uniqueness guards for sender numbers.
const GUARD_PREFIX = 'guard#';

/**
 * Reads a run's records straight from the tables (Scan, not the pipeline's stores or indexes),
 * plus the Twilio stand-in's outbox and the test clock, for {@link checkRun}.
 */
export async function readRunSnapshot(runtime: LocalRuntime): Promise<RunSnapshot> {
  const base = localDynamoClient(runtime.engines.dynamoEndpoint);
  const client = DynamoDBDocumentClient.from(base);
  const { tables } = runtime.engines;
  const scan = async <T>(table: string, projection?: string): Promise<T[]> => {
    const items: T[] = [];
    const names = projection === undefined ? undefined : namesOf(projection);
    for await (const page of paginateScan(
      { client, pageSize: 1000 },
      {
        TableName: table,
        ...(names === undefined
          ? {}
          : {
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
            }),
      },
    )) {
      items.push(...((page.Items ?? []) as T[]));
    }
    return items;
  };
  try {
    const [agents, contacts, ledger, optOuts, messages] = await Promise.all([
      scan<RunSnapshot['agents'][number]>(tables.agents, 'agentId senderNumber forwardTo doubleOptIn'),
      scan<RunSnapshot['contacts'][number]>(tables.contacts, 'agentId phone state postalCode timeZone'),
      scan<RunSnapshot['ledger'][number]>(tables.ledger, 'agentId phone channel type at recordedAt method'),
      scan<RunSnapshot['optOuts'][number]>(tables.optouts, 'phone at recordedAt source agentId'),
      // Receipts and status histories are left out: the checker reads what was sent, not why.
      scan<RunSnapshot['messages'][number]>(
        tables.messages,
        'messageId agentId phone kind status createdAt twilioSid releaseAt dueAt body errorCode',
      ),
    ]);
    return {
      outbox: runtime.twilio.outbox().map(({ sid, from, to, body, at, status, errorCode, origin }) => ({
        sid,
        from,
        to,
        body,
        at,
        status,
        origin,
        ...(errorCode === undefined ? {} : { errorCode }),
      })),
      messages,
      ledger,
      optOuts,
      contacts,
      agents: agents.filter((agent) => !agent.agentId.startsWith(GUARD_PREFIX)),
      endedAt: runtime.clock.now().toISOString(),
    };
  } finally {
    base.destroy();
  }
}

/** `#a`-style placeholders for every attribute (several are DynamoDB reserved words). */
function namesOf(projection: string): Record<string, string> {
  return Object.fromEntries(projection.split(' ').map((name) => [`#${name}`, name]));
}
