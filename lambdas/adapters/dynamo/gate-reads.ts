import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Agent,
  Contact,
  GateKeyReads,
  GateReadKeys,
  GateReadStore,
  MessageHead,
  TwilioBlock,
} from '../../ports';
import { toAgent } from './agent-store';
import { batchGetAll } from './batch-get';
import { BLACKOUTS_KEY, blackoutsVersionOf } from './blackouts-version';
import { agentSendsKey, sendsOn, type AgentSendsItem } from './agent-sends';
import { recipientKey, type RecipientItem } from './recipient-item';
import type { DynamoStoreOptions } from './document-client';
import { reassignedCheckKey, reassignedCheckOf } from './number-store';
import { blockKey } from './twilio-block-store';

/** How the message store makes a head of an item it did not read itself (`DynamoMessageStore`). */
export type MessageHeads = {
  headOf(messageId: string, item: Record<string, unknown>): MessageHead | undefined;
};

export type DynamoGateReadsOptions = DynamoStoreOptions & { heads: MessageHeads };

// Agents whose sender was seen: an agent's number and Messaging Service never change once created.
const REMEMBERED_AGENTS = 1_000;

type Key = Record<string, string>;
type Request = { table: string; key: Key };

/**
 * What the gate reads by key — the agent, the contact, the recipient's recent sends, the agent's
 * sends of the day, Twilio's block, the phone's cached reassigned-number answer and the
 * blackouts' version, and for the send worker the text's own item — in one strongly consistent
 * BatchGetItem over the agents, contacts, counters, numbers and messages tables. Twilio's block is keyed by the agent's sender: a sender
 * seen before (or the caller's agent) rides in the same batch, an agent read for the first time
 * costs one more GetItem-sized batch.
 */
export class DynamoGateReads implements GateReadStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tables: DynamoStoreOptions['tables'];
  private readonly heads: MessageHeads;
  private readonly senders = new Map<string, Pick<Agent, 'senderNumber' | 'messagingServiceSid'>>();

  constructor(options: DynamoGateReadsOptions) {
    this.client = options.client;
    this.tables = options.tables;
    this.heads = options.heads;
  }

  /** One BatchGetItem (two the first time an agent's sender is needed and unknown). */
  async loadForGate(keys: GateReadKeys): Promise<GateKeyReads> {
    const { agents, contacts, counters, messages, numbers } = this.tables;
    const requests: Request[] = [];
    if (keys.knownAgent === undefined) requests.push({ table: agents, key: { agentId: keys.agentId } });
    if (keys.contactPhone !== undefined)
      requests.push({ table: contacts, key: { agentId: keys.agentId, phone: keys.contactPhone } });
    if (keys.caps !== undefined) {
      requests.push(
        { table: counters, key: { key: recipientKey(keys.caps.phone) } },
        { table: counters, key: { key: agentSendsKey(keys.agentId) } },
      );
    }
    const senderFields = keys.knownAgent ?? this.senders.get(keys.agentId);
    const block = keys.twilioBlock;
    const guessedBlock =
      block !== undefined && senderFields !== undefined
        ? blockKey(block.senderOf(senderFields), block.phone)
        : undefined;
    if (guessedBlock !== undefined) requests.push({ table: counters, key: { key: guessedBlock } });
    const checkKey = keys.reassignedCheck && reassignedCheckKey(keys.reassignedCheck.phone);
    if (checkKey !== undefined) requests.push({ table: numbers, key: checkKey });
    if (keys.blackouts) requests.push({ table: counters, key: { key: BLACKOUTS_KEY } });
    if (keys.messageId !== undefined) requests.push({ table: messages, key: { messageId: keys.messageId } });

    const found = await this.batchGet(requests);
    const agentItem =
      keys.knownAgent === undefined ? found.get(itemId(agents, { agentId: keys.agentId })) : undefined;
    const agent = keys.knownAgent ?? (agentItem === undefined ? undefined : toAgent(agentItem as Agent));
    if (agent !== undefined) this.rememberSender(agent);

    let blockItem: Record<string, unknown> | undefined;
    if (block !== undefined && agent !== undefined) {
      const actual = blockKey(block.senderOf(agent), block.phone);
      blockItem =
        actual === guessedBlock
          ? found.get(itemId(counters, { key: actual }))
          : (await this.batchGet([{ table: counters, key: { key: actual } }])).get(
              itemId(counters, { key: actual }),
            );
    }

    const reads: GateKeyReads = { agentSendsToday: 0 };
    if (agent !== undefined) reads.agent = agent;
    if (keys.contactPhone !== undefined) {
      const contact = found.get(itemId(contacts, { agentId: keys.agentId, phone: keys.contactPhone }));
      if (contact !== undefined) reads.contact = contact as Contact;
    }
    if (keys.caps !== undefined) {
      const recipient = found.get(itemId(counters, { key: recipientKey(keys.caps.phone) })) as
        RecipientItem | undefined;
      const earliest = Date.parse(keys.caps.since);
      reads.recentSends = {
        version: recipient?.version ?? 0,
        sends: (recipient?.sends ?? []).filter((send) => Date.parse(send.at) >= earliest),
      };
      const sends = found.get(itemId(counters, { key: agentSendsKey(keys.agentId) }));
      reads.agentSendsToday = sendsOn(sends as AgentSendsItem | undefined, keys.caps.utcDate);
    }
    if (blockItem !== undefined) {
      const { key: _key, ...twilioBlock } = blockItem;
      reads.twilioBlock = twilioBlock as TwilioBlock;
    }
    const checkItem = checkKey && found.get(itemId(numbers, checkKey));
    if (checkItem !== undefined) reads.reassignedCheck = reassignedCheckOf(checkItem);
    if (keys.blackouts)
      reads.blackouts = blackoutsVersionOf(found.get(itemId(counters, { key: BLACKOUTS_KEY })));
    if (keys.messageId !== undefined) {
      const item = found.get(itemId(messages, { messageId: keys.messageId }));
      const head = item === undefined ? undefined : this.heads.headOf(keys.messageId, item);
      if (head !== undefined) reads.message = head;
    }
    return reads;
  }

  /** Every requested item that exists, by table and key (one BatchGetItem, see {@link batchGetAll}). */
  private async batchGet(requests: readonly Request[]): Promise<Map<string, Record<string, unknown>>> {
    const keys: Record<string, Key[]> = {};
    for (const { table, key } of requests) (keys[table] ??= []).push(key);
    const found = new Map<string, Record<string, unknown>>();
    for (const [table, items] of await batchGetAll(this.client, keys)) {
      const keyNames = Object.keys(keys[table]?.[0] ?? {});
      for (const item of items) {
        const key = Object.fromEntries(keyNames.map((name) => [name, String(item[name])]));
        found.set(itemId(table, key), item);
      }
    }
    return found;
  }

  private rememberSender(agent: Agent): void {
    this.senders.delete(agent.agentId);
    this.senders.set(agent.agentId, {
      senderNumber: agent.senderNumber,
      ...(agent.messagingServiceSid === undefined ? {} : { messagingServiceSid: agent.messagingServiceSid }),
    });
    if (this.senders.size > REMEMBERED_AGENTS) {
      const oldest = this.senders.keys().next().value;
      if (oldest !== undefined) this.senders.delete(oldest);
    }
  }
}

/** A table and key as one string; key attributes in a fixed order. */
function itemId(table: string, key: Key): string {
  return `${table}\u0000${Object.keys(key)
    .sort()
    .map((name) => `${name}=${key[name]}`)
    .join('\u0000')}`;
}
