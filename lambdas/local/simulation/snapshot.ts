import { DynamoDBDocumentClient, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../engines/aws-clients';
import { fromItem } from '../../adapters/dynamo/message-item';
import type { MessageRecord } from '../../ports';
import type { LocalRuntime } from '../runtime';
import type { RunSnapshot } from './snapshot-types';

// The agents table also holds uniqueness guards for sender numbers.
const GUARD_PREFIX = 'guard#';
// The ledger table keeps a phone's consent events and opt-outs under these sort-key prefixes.
const LEDGER_ENTRY_PREFIX = 'chain#';
const OPT_OUT_ENTRY_PREFIX = 'optout#';
// The numbers table keeps `number_reassigned` records under this sort-key prefix.
const REASSIGNMENT_PREFIX = 'reassigned#';

type HistoryItem = { status: string; at: string; receipt?: { releaseAt?: string } };

/**
 * Reads a run's records straight from the tables (Scan, not the pipeline's stores or indexes),
 * plus the Twilio stand-in's outbox and the test clock, for {@link checkRun}.
 */
export async function readRunSnapshot(runtime: LocalRuntime): Promise<RunSnapshot> {
  const base = localDynamoClient(runtime.engines.dynamoEndpoint);
  const client = DynamoDBDocumentClient.from(base);
  const { tables } = runtime.engines;
  const scan = async <T>(table: string, projection?: string, filter?: string): Promise<T[]> => {
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
        ...(filter === undefined ? {} : { FilterExpression: filter }),
      },
    )) {
      items.push(...((page.Items ?? []) as T[]));
    }
    return items;
  };
  try {
    const [agents, contacts, phoneRecords, messages, held, numbers] = await Promise.all([
      scan<RunSnapshot['agents'][number]>(tables.agents, 'agentId senderNumber forwardTo doubleOptIn'),
      scan<RunSnapshot['contacts'][number]>(tables.contacts, 'agentId phone state postalCode timeZone'),
      // One table per phone's consent: events (`chain#…`), opt-outs (`optout#…`) and the derived state.
      scan<{ entry: string } & Record<string, unknown>>(
        tables.ledger,
        'entry agentId phone channel type at recordedAt method source',
      ),
      // Receipts and status histories are left out: the checker reads what was sent, not why.
      scan<RunSnapshot['messages'][number]>(
        tables.messages,
        'messageId agentId phone kind status createdAt twilioSid releaseAt dueAt body errorCode',
      ),
      // Only texts that were ever held need their history: when each hold ended. Its recurring
      // entries are in the history table, its `sent` and final ones on the item.
      scan<{ messageId: string } & Record<string, unknown>>(
        tables.messages,
        undefined,
        'attribute_exists(releaseAt)',
      ),
      scan<{ phone: string; sk: string; at?: string; recordedAt?: string }>(
        tables.numbers,
        'phone sk at recordedAt',
      ),
    ]);
    const histories = new Map(
      await Promise.all(
        held.map(
          async (item) =>
            [
              item.messageId,
              fromItem<MessageRecord>(item, await historyOf(client, tables.messageEvents, item.messageId))
                .history as HistoryItem[],
            ] as const,
        ),
      ),
    );
    for (const message of messages) {
      const history = histories.get(message.messageId);
      if (history === undefined) continue;
      message.history = history.map((change) => ({
        status: change.status,
        at: change.at,
        ...(change.receipt?.releaseAt === undefined ? {} : { releaseAt: change.receipt.releaseAt }),
      }));
    }
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
      ledger: phoneRecords
        .filter((item) => item.entry.startsWith(LEDGER_ENTRY_PREFIX))
        .map(({ entry: _entry, source: _source, ...event }) => event as RunSnapshot['ledger'][number]),
      optOuts: phoneRecords
        .filter((item) => item.entry.startsWith(OPT_OUT_ENTRY_PREFIX))
        .map(
          ({ phone, at, recordedAt, source, agentId }) =>
            ({ phone, at, recordedAt, source, agentId }) as RunSnapshot['optOuts'][number],
        ),
      contacts,
      agents: agents.filter((agent) => !agent.agentId.startsWith(GUARD_PREFIX)),
      endedAt: runtime.clock.now().toISOString(),
      reassignmentsFound: numbers
        .filter((item) => item.sk.startsWith(REASSIGNMENT_PREFIX) && item.at && item.recordedAt)
        .map(({ phone, at, recordedAt }) => ({ phone, at: at!, recordedAt: recordedAt! })),
    };
  } finally {
    base.destroy();
  }
}

/** `#a`-style placeholders for every attribute (several are DynamoDB reserved words). */
function namesOf(projection: string): Record<string, string> {
  return Object.fromEntries(projection.split(' ').map((name) => [`#${name}`, name]));
}

/** A text's history items (its entries of recurring statuses): one Query of the history table. */
async function historyOf(
  client: DynamoDBDocumentClient,
  table: string,
  messageId: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery(
    { client },
    {
      TableName: table,
      KeyConditionExpression: 'messageId = :messageId',
      ExpressionAttributeValues: { ':messageId': messageId },
      ConsistentRead: true,
    },
  )) {
    items.push(...(page.Items ?? []));
  }
  return items;
}
