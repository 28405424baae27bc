import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, type Agent, type AgentStore } from '../../ports';
import { cancellationCodes, isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';

// Guard items share the agents table: their key can never be a real agent id, and they carry
// no `senderNumber` or `apiKeyHash`, so they stay out of both indexes.
const GUARD_PREFIX = 'guard#';
const senderGuardKey = (senderNumber: string): string => `${GUARD_PREFIX}sender#${senderNumber}`;

/**
 * Agents in DynamoDB. The API key hash is stored on the agent item (index `byApiKeyHash`) and
 * never returned; a sender number belongs to at most one agent, enforced by a guard item
 * written in the same transaction as the agent.
 */
export class DynamoAgentStore implements AgentStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tables.agents;
  }

  /** One TransactWriteItems. Throws `ConflictError` if the sender number or agent id is taken. */
  async create(agent: Agent, apiKeyHash: string): Promise<void> {
    if (agent.agentId.startsWith(GUARD_PREFIX))
      throw new Error(`agentId: may not start with ${GUARD_PREFIX}`);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...toAgent(agent), apiKeyHash },
                ConditionExpression: 'attribute_not_exists(agentId)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { agentId: senderGuardKey(agent.senderNumber), ownerAgentId: agent.agentId },
                ConditionExpression: 'attribute_not_exists(agentId)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[1] === 'ConditionalCheckFailed') {
        throw new ConflictError(`senderNumber ${agent.senderNumber} already belongs to an agent`);
      }
      if (codes?.[0] === 'ConditionalCheckFailed') throw new ConflictError(`agent ${agent.agentId} exists`);
      throw error;
    }
  }

  /** One GetItem (strongly consistent). */
  async get(agentId: string): Promise<Agent | undefined> {
    if (agentId.startsWith(GUARD_PREFIX)) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { agentId }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toAgent(Item as Agent);
  }

  /** One Query of `byApiKeyHash` (eventually consistent, like every index). */
  async findByApiKeyHash(apiKeyHash: string): Promise<Agent | undefined> {
    return this.findOne('byApiKeyHash', 'apiKeyHash', apiKeyHash);
  }

  /** One Query of `bySenderNumber`. */
  async findBySenderNumber(senderNumber: string): Promise<Agent | undefined> {
    return this.findOne('bySenderNumber', 'senderNumber', senderNumber);
  }

  /** One conditional UpdateItem; undefined when there is no such agent. */
  async setSuspended(
    agentId: string,
    suspended: boolean,
    at: string,
    reason?: string,
  ): Promise<Agent | undefined> {
    if (agentId.startsWith(GUARD_PREFIX)) return undefined;
    // Suspending records why and since when; resuming clears both (the change time stays).
    const update = suspended
      ? 'SET suspended = :suspended, suspendedChangedAt = :at, suspendedAt = :at, suspendedReason = :reason'
      : 'SET suspended = :suspended, suspendedChangedAt = :at REMOVE suspendedAt, suspendedReason';
    const values: Record<string, unknown> = { ':suspended': suspended, ':at': at };
    if (suspended) values[':reason'] = reason ?? 'no reason given';
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { agentId },
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(agentId)',
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toAgent(Attributes as Agent);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  private async findOne(indexName: string, attribute: string, value: string): Promise<Agent | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: indexName,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': attribute },
        ExpressionAttributeValues: { ':value': value },
        Limit: 1,
      }),
    );
    const item = Items?.[0];
    return item === undefined ? undefined : toAgent(item as Agent);
  }
}

/** Exactly the fields of `Agent`: the key hash and bookkeeping attributes never leave the store. */
function toAgent(item: Agent): Agent {
  return {
    agentId: item.agentId,
    name: item.name,
    brokerage: item.brokerage,
    senderNumber: item.senderNumber,
    forwardTo: item.forwardTo,
    ...(item.messagingServiceSid === undefined ? {} : { messagingServiceSid: item.messagingServiceSid }),
    doubleOptIn: item.doubleOptIn,
    suspended: item.suspended,
    ...(item.suspended && item.suspendedReason !== undefined
      ? { suspendedReason: item.suspendedReason }
      : {}),
    ...(item.suspended && item.suspendedAt !== undefined ? { suspendedAt: item.suspendedAt } : {}),
    createdAt: item.createdAt,
  };
}
