import { QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type Agent,
  type AgentStore,
  type KeyChange,
  type KeyEvent,
  type SenderAgent,
} from '../../ports';
import { cancellationCodes } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { batchGetAll } from './batch-get';
import { mirrorSuspension } from './agent-sends';
import { DynamoTableStore, type TransactItem } from './items';

// Guard items share the agents table: their key can never be a real agent id, and they carry
// no `senderNumber` or `apiKeyHash`, so they stay out of both indexes.
const GUARD_PREFIX = 'guard#';
const senderGuardKey = (senderNumber: string): string => `${GUARD_PREFIX}sender#${senderNumber}`;
// A replaced key still inside its overlap: `key#<hash>` → owner, key generation, valid until.
// Reached by GetItem only (no `apiKeyHash` attribute, so not in the index).
const KEY_PREFIX = 'key#';
const replacedKeyId = (apiKeyHash: string): string => `${KEY_PREFIX}${apiKeyHash}`;
// Rotations and revocations, put-only: `keyevent#<agentId>#<seq>`.
const KEY_EVENT_PREFIX = 'keyevent#';
const keyEventId = (agentId: string, seq: number): string =>
  `${KEY_EVENT_PREFIX}${agentId}#${String(seq).padStart(6, '0')}`;
const isInternalId = (id: string): boolean =>
  id.startsWith(GUARD_PREFIX) || id.startsWith(KEY_PREFIX) || id.startsWith(KEY_EVENT_PREFIX);
// A rotation and a revocation racing on one agent (or a suspension and a send claim): the loser
// tries again.
const KEY_CHANGE_ATTEMPTS = 5;
/**
 * How long a warm Lambda trusts an API key it resolved: a key revoked or rotated away by another
 * function, or its agent suspended, stops working here within this bound (README, "Security").
 */
export const API_KEY_MEMORY_MS = 30_000;
const REMEMBERED_KEYS = 1_000;

type AgentItem = Agent & {
  apiKeyHash?: string;
  /** Moves on every revoke-all: replaced keys of an older generation are dead. */
  keyGeneration?: number;
  /** The seq of the agent's last key event. */
  keyEventSeq?: number;
};

/**
 * Agents in DynamoDB. The API key hash is stored on the agent item (index `byApiKeyHash`) and
 * never returned; a sender number belongs to at most one agent, enforced by a guard item
 * written in the same transaction as the agent.
 */
/** A key change's writes, planned from the agent item as read and the event seq it takes. */
type KeyChangePlan = (
  item: AgentItem,
  seq: number,
) => {
  event: KeyEvent;
  set: string[];
  remove?: string[];
  values: Record<string, unknown>;
  extra: TransactItem[];
};

export class DynamoAgentStore extends DynamoTableStore implements AgentStore {
  /** Sender number → agent, kept for the life of the process (a warm Lambda): the mapping never changes. */
  private readonly senders = new Map<string, SenderAgent>();
  /** API key hash → the agent it authenticated, for at most {@link API_KEY_MEMORY_MS}. */
  private readonly keys = new Map<string, { agent: Agent; from: number; until: number }>();

  private readonly countersTable: string;

  constructor(options: DynamoStoreOptions) {
    super(options, 'agents');
    this.countersTable = options.tables.counters;
  }

  /**
   * One TransactWriteItems (with the suspension's copy for an agent created suspended). Throws
   * `ConflictError` if the sender number or agent id is taken.
   */
  async create(agent: Agent, apiKeyHash: string): Promise<void> {
    if (isInternalId(agent.agentId))
      throw new Error(`agentId: may not start with ${agent.agentId.split('#')[0]}#`);
    const codes = await this.transactIf([
      this.putNew({ ...toAgent(agent), apiKeyHash }, 'agentId'),
      this.putNew({ agentId: senderGuardKey(agent.senderNumber), ownerAgentId: agent.agentId }, 'agentId'),
      ...(agent.suspended ? [{ Update: mirrorSuspension(this.countersTable, agent.agentId, true) }] : []),
    ]);
    if (codes?.[1] === 'ConditionalCheckFailed') {
      throw new ConflictError(`senderNumber ${agent.senderNumber} already belongs to an agent`);
    }
    if (codes?.[0] === 'ConditionalCheckFailed') throw new ConflictError(`agent ${agent.agentId} exists`);
  }

  /** One GetItem (strongly consistent). */
  async get(agentId: string): Promise<Agent | undefined> {
    const item = await this.getItem(agentId);
    return item === undefined ? undefined : toAgent(item);
  }

  /** One Query of `byApiKeyHash` (eventually consistent, like every index). */
  async findByApiKeyHash(apiKeyHash: string): Promise<Agent | undefined> {
    return this.findOne('byApiKeyHash', 'apiKeyHash', apiKeyHash);
  }

  /** One Query of `bySenderNumber`. */
  async findBySenderNumber(senderNumber: string): Promise<Agent | undefined> {
    return this.findOne('bySenderNumber', 'senderNumber', senderNumber);
  }

  /**
   * No round trip once the number was found in this process, else `findBySenderNumber`. A number
   * nobody holds is not remembered: an agent created for it a moment later is found.
   */
  async senderAgent(senderNumber: string): Promise<SenderAgent | undefined> {
    const known = this.senders.get(senderNumber);
    if (known !== undefined) return known;
    const agent = await this.findBySenderNumber(senderNumber);
    if (agent === undefined) return undefined;
    const { suspended: _suspended, suspendedReason: _reason, suspendedAt: _at, ...sender } = agent;
    this.senders.set(senderNumber, sender);
    return sender;
  }

  /**
   * The current key: one Query of `byApiKeyHash` and one consistent GetItem of the agent (the
   * index lags a rotation or revocation; the item does not). Otherwise a replaced key: one
   * GetItem of `key#<hash>` and one of its owner, whose key generation must not have moved.
   * An answer is remembered for {@link API_KEY_MEMORY_MS} (a replaced key's never past its end):
   * a warm Lambda then authenticates with no round trip, and a revocation, rotation or suspension
   * made by another function reaches it within that bound; one made through this instance at once.
   */
  async resolveApiKey(apiKeyHash: string, at: string): Promise<Agent | undefined> {
    const now = Date.parse(at);
    const kept = this.keys.get(apiKeyHash);
    if (kept !== undefined && now >= kept.from && now < kept.until) return kept.agent;
    this.keys.delete(apiKeyHash);
    const resolved = await this.resolveStoredKey(apiKeyHash, at);
    if (resolved === undefined) return undefined;
    const until = Math.min(now + API_KEY_MEMORY_MS, resolved.validUntil ?? Number.POSITIVE_INFINITY);
    this.keys.set(apiKeyHash, { agent: resolved.agent, from: now, until });
    if (this.keys.size > REMEMBERED_KEYS) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return resolved.agent;
  }

  /** Forgets what this instance remembers of the agent's keys (its keys or suspension changed here). */
  private forgetKeysOf(agentId: string): void {
    for (const [hash, kept] of this.keys) if (kept.agent.agentId === agentId) this.keys.delete(hash);
  }

  private async resolveStoredKey(
    apiKeyHash: string,
    at: string,
  ): Promise<{ agent: Agent; validUntil?: number } | undefined> {
    const indexed = await this.findByApiKeyHash(apiKeyHash);
    if (indexed !== undefined) {
      const owner = await this.getItem(indexed.agentId);
      if (owner?.apiKeyHash === apiKeyHash) return { agent: toAgent(owner) };
    }
    const replaced = await this.consistentGet<Record<string, unknown>>({
      agentId: replacedKeyId(apiKeyHash),
    });
    if (replaced === undefined || !(String(replaced.validUntil) > at)) return undefined;
    const owner = await this.getItem(String(replaced.ownerAgentId));
    if (owner === undefined || (owner.keyGeneration ?? 0) !== replaced.generation) return undefined;
    return { agent: toAgent(owner), validUntil: Date.parse(String(replaced.validUntil)) };
  }

  /** One consistent GetItem + one TransactWriteItems (agent, event, replaced key); retried on a race. */
  async rotateKey(
    agentId: string,
    newApiKeyHash: string,
    previousKeyValidUntil: string,
    change: KeyChange,
  ): Promise<KeyEvent | undefined> {
    return this.changeKeys(agentId, (item, seq) => {
      const event: KeyEvent = { agentId, seq, action: 'rotated', ...change, previousKeyValidUntil };
      const replaced =
        item.apiKeyHash !== undefined && previousKeyValidUntil > change.at
          ? [
              this.putNew(
                {
                  agentId: replacedKeyId(item.apiKeyHash),
                  ownerAgentId: agentId,
                  generation: item.keyGeneration ?? 0,
                  validUntil: previousKeyValidUntil,
                },
                'agentId',
              ),
            ]
          : [];
      return { event, set: ['apiKeyHash = :hash'], values: { ':hash': newApiKeyHash }, extra: replaced };
    });
  }

  /** Removes the current key and moves the key generation, which kills every replaced key. */
  async revokeKeys(agentId: string, change: KeyChange): Promise<KeyEvent | undefined> {
    return this.changeKeys(agentId, (_item, seq) => ({
      event: { agentId, seq, action: 'revoked', ...change },
      set: ['keyGeneration = if_not_exists(keyGeneration, :zero) + :one'],
      remove: ['apiKeyHash'],
      values: { ':zero': 0, ':one': 1 },
      extra: [],
    }));
  }

  /**
   * A Scan of the agents table, page by page, without the guard, replaced-key and key-event
   * items. Admin-only (the brokerage-wide audit export): a brokerage has tens of agents, and no
   * agent request path reads it.
   */
  async listAll(): Promise<Agent[]> {
    const agents: Agent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: startKey, ConsistentRead: true }),
      );
      for (const item of (page.Items ?? []) as Agent[]) {
        if (!isInternalId(item.agentId)) agents.push(toAgent(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return agents.sort((a, b) => a.agentId.localeCompare(b.agentId));
  }

  /** One GetItem + BatchGetItem calls of the event items (100 a call). */
  async keyEvents(agentId: string): Promise<KeyEvent[]> {
    const item = await this.getItem(agentId);
    const count = item?.keyEventSeq ?? 0;
    const keys = Array.from({ length: count }, (_, index) => ({ agentId: keyEventId(agentId, index + 1) }));
    const found = await batchGetAll(this.client, { [this.table]: keys });
    const events = (found.get(this.table) ?? []).map(toKeyEvent);
    return events.sort((a, b) => a.seq - b.seq);
  }

  /**
   * One TransactWriteItems — the agent item (which must exist) and the suspension's copy on the
   * agent's counters item, which the send claim checks (agent-sends.ts) — then one GetItem for
   * the agent as written; undefined when there is no such agent. A send claim on the counters
   * item at that instant makes the transaction conflict: it is tried again.
   */
  async setSuspended(
    agentId: string,
    suspended: boolean,
    at: string,
    reason?: string,
  ): Promise<Agent | undefined> {
    if (isInternalId(agentId)) return undefined;
    this.forgetKeysOf(agentId);
    // Suspending records why and since when; resuming clears both (the change time stays).
    const update = suspended
      ? 'SET suspended = :suspended, suspendedChangedAt = :at, suspendedAt = :at, suspendedReason = :reason'
      : 'SET suspended = :suspended, suspendedChangedAt = :at REMOVE suspendedAt, suspendedReason';
    const values: Record<string, unknown> = { ':suspended': suspended, ':at': at };
    if (suspended) values[':reason'] = reason ?? 'no reason given';
    try {
      const refused = await this.transactIf(
        [
          {
            Update: {
              TableName: this.table,
              Key: { agentId },
              UpdateExpression: update,
              ConditionExpression: 'attribute_exists(agentId)',
              ExpressionAttributeValues: values,
            },
          },
          { Update: mirrorSuspension(this.countersTable, agentId, suspended) },
        ],
        KEY_CHANGE_ATTEMPTS,
      );
      if (refused !== undefined) return undefined;
      const item = await this.getItem(agentId);
      return item === undefined ? undefined : toAgent(item);
    } finally {
      // A request of this instance may have read the agent while the write was on its way.
      this.forgetKeysOf(agentId);
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
    return item === undefined || isInternalId(String(item.agentId)) ? undefined : toAgent(item as Agent);
  }

  private async getItem(agentId: string): Promise<AgentItem | undefined> {
    if (isInternalId(agentId)) return undefined;
    return this.consistentGet<AgentItem>({ agentId });
  }

  /**
   * The shared shape of a key change: the agent's update (conditioned on its event seq, so two
   * changes cannot take the same seq), its event item and any `extra` put, in one transaction.
   */
  private async changeKeys(agentId: string, plan: KeyChangePlan): Promise<KeyEvent | undefined> {
    try {
      return await this.changeKeysOnce(agentId, plan);
    } finally {
      // Also when the write failed or timed out (it may have landed): a request of this instance
      // may have read the agent's keys while it was on its way.
      this.forgetKeysOf(agentId);
    }
  }

  private async changeKeysOnce(agentId: string, plan: KeyChangePlan): Promise<KeyEvent | undefined> {
    for (let attempt = 1; ; attempt++) {
      const item = await this.getItem(agentId);
      if (item === undefined) return undefined;
      const seen = item.keyEventSeq ?? 0;
      const { event, set, remove = [], values, extra } = plan(item, seen + 1);
      const update = [
        `SET ${['keyEventSeq = :next', ...set].join(', ')}`,
        ...(remove.length > 0 ? [`REMOVE ${remove.join(', ')}`] : []),
      ].join(' ');
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.table,
                  Key: { agentId },
                  UpdateExpression: update,
                  ConditionExpression:
                    seen === 0
                      ? 'attribute_exists(agentId) AND attribute_not_exists(keyEventSeq)'
                      : 'keyEventSeq = :seen',
                  ExpressionAttributeValues: {
                    ...values,
                    ':next': event.seq,
                    ...(seen === 0 ? {} : { ':seen': seen }),
                  },
                },
              },
              this.putNew(
                { ...event, agentId: keyEventId(agentId, event.seq), ownerAgentId: agentId },
                'agentId',
              ),
              ...extra,
            ],
          }),
        );
        return event;
      } catch (error) {
        const codes = cancellationCodes(error);
        const raced = codes?.[0] === 'ConditionalCheckFailed' || codes?.includes('TransactionConflict');
        if (!raced || attempt >= KEY_CHANGE_ATTEMPTS) throw error;
      }
    }
  }
}

function toKeyEvent(item: Record<string, unknown>): KeyEvent {
  const event: KeyEvent = {
    agentId: String(item.ownerAgentId),
    seq: Number(item.seq),
    action: item.action as KeyEvent['action'],
    at: String(item.at),
    by: String(item.by),
    reason: String(item.reason),
  };
  if (typeof item.previousKeyValidUntil === 'string')
    event.previousKeyValidUntil = item.previousKeyValidUntil;
  return event;
}

/** Exactly the fields of `Agent`: the key hash and bookkeeping attributes never leave the store. */
export function toAgent(item: Agent): Agent {
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
