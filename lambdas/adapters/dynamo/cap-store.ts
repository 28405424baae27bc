import { setTimeout as sleep } from 'node:timers/promises';
import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CapStore, RecentSendRecord, SendClaim, SendClaimLoss } from '../../ports';
import { cancellationCodes, isConditionFailure } from './conditions';
import type { DynamoStoreOptions } from './document-client';
import { consentUnchangedChecks } from './claim-checks';
import { blackoutsUnchangedCheck } from './blackouts-version';
import { consentUnchangedCondition, recipientKey, type RecipientItem } from './recipient-item';
import {
  agentSendsKey,
  releaseDaySlot,
  sendsOn,
  takeDaySlot,
  unsuspendedCheck,
  type AgentSendsItem,
} from './agent-sends';
import { getItem, writeIf } from './items';
import { moveActions } from './message-store';

const DAY_SECONDS = 24 * 60 * 60;
// Caps look back 24 h at most; two days of TTL keeps every send a cap can still count.
const COUNTER_TTL_SECONDS = 2 * DAY_SECONDS;
// Recently read send lists kept for `claimSend`, so a read-decide-claim costs two round trips.
// Short-lived: a TTL deletion restarts the versions, and an old memory must not outlive that.
const REMEMBERED_LISTS = 1_000;
const REMEMBER_MS = 30_000;

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

// DynamoDB refuses to interleave two transactions on one item (every send of an agent touches
// the agent's counters item): the claim is tried again after a short, jittered pause.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
const CONTENDED = new Set(['TransactionConflict', 'ThrottlingError']);
const CLAIM_TRIES = 12;
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 200;

type StoredSends = { version: number; sends: RecentSendRecord[] };
type Remembered = StoredSends & { until: number };

/**
 * Send counters in DynamoDB: per recipient, the recent sends of every agent with a version for
 * optimistic concurrency (RULES §3 caps); per agent, the send count of the UTC day with the
 * agent's suspension ({@link agentSendsKey}).
 *
 * Every write bumps the recipient's version, so the list stored at a version never changes:
 * `claimSend` reuses the list `recentSends` read at the version it is given (kept in a small
 * per-instance memory) and only reads again when it has not seen that version.
 */
export class DynamoCapStore implements CapStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly messagesTable: string;
  private readonly eventsTable: string;
  private readonly ledgerTable: string;
  private readonly seenLists = new Map<string, Remembered>();

  constructor(options: DynamoStoreOptions) {
    this.client = options.client;
    this.table = options.tables.counters;
    this.messagesTable = options.tables.messages;
    this.eventsTable = options.tables.messageEvents;
    this.ledgerTable = options.tables.ledger;
  }

  /** One GetItem (strongly consistent). Version 0 means no send is stored. */
  async recentSends(phone: string, since: string): Promise<{ sends: RecentSendRecord[]; version: number }> {
    const stored = await this.readRecipient(phone);
    const earliest = Date.parse(since);
    return { sends: stored.sends.filter((send) => Date.parse(send.at) >= earliest), version: stored.version };
  }

  /**
   * One conditional UpdateItem when `seenVersion` came from this instance's `recentSends`,
   * otherwise a GetItem first. Stores the sends since `keepSince` plus `send`; false (nothing
   * written) when another writer moved the version since it was seen.
   */
  async claimSend(
    phone: string,
    send: RecentSendRecord,
    seenVersion: number,
    keepSince: string,
  ): Promise<boolean> {
    const stored = await this.storedAt(phone, seenVersion);
    if (stored.version !== seenVersion) return false;
    const sends = nextSends(stored.sends, send, keepSince);
    try {
      await this.client.send(new UpdateCommand(this.recipientUpdate(phone, sends, seenVersion, send.at)));
    } catch (error) {
      if (isConditionFailure(error)) {
        this.seenLists.delete(phone);
        return false;
      }
      throw error;
    }
    this.remember(phone, { version: seenVersion + 1, sends });
    return true;
  }

  /**
   * One TransactWriteItems (plus a GetItem when `claim.recipient.seenVersion` was not read by
   * this instance): the message's status move, the recipient's slot (version condition, and the
   * phone's consent unchanged: recipient-item.ts), the agent's day slot (`count < cap`, and the
   * agent not suspended: agent-sends.ts) and, for a text a blackout can hold, the blackouts'
   * version unchanged (blackouts-version.ts). A refused part writes nothing, so a slot is never
   * consumed by a claim that lost. Conflicting concurrent transactions are retried here.
   */
  async claimSending(claim: SendClaim): Promise<{ claimed: true } | { claimed: false; lost: SendClaimLoss }> {
    // Each action with the loss its refusal means, in request order.
    const move = moveActions(
      { messages: this.messagesTable, messageEvents: this.eventsTable },
      claim.messageId,
      claim.from,
      claim.change,
      claim.changes ?? {},
      claim.kept,
      claim.unchangedSince,
    );
    const actions: TransactAction[] = [{ item: { Update: move.update }, loss: 'message' }];
    // The history entry is put with the move; its key is new, so only the move can refuse.
    if (move.event !== undefined) actions.push({ item: { Put: move.event }, loss: 'message' });
    let recipientSends: StoredSends | undefined;
    if (claim.recipient !== undefined) {
      const { phone, send, seenVersion, keepSince, seenSends } = claim.recipient;
      const stored =
        seenSends === undefined
          ? await this.storedAt(phone, seenVersion)
          : { version: seenVersion, sends: seenSends };
      if (stored.version !== seenVersion) return { claimed: false, lost: 'recipient' };
      recipientSends = { version: seenVersion + 1, sends: nextSends(stored.sends, send, keepSince) };
      actions.push({
        item: {
          Update: this.recipientUpdate(
            phone,
            recipientSends.sends,
            seenVersion,
            send.at,
            claim.consent?.stateVersion,
          ),
        },
        loss: 'recipient',
      });
    }
    // The agent's day slot carries the suspension check when both apply; a cap-exempt text
    // checks the suspension alone.
    const { agentDay, activeAgentId } = claim;
    if (agentDay !== undefined) {
      const checksSuspension = agentDay.agentId === activeAgentId;
      actions.push({
        item: { Update: takeDaySlot(this.table, agentDay, checksSuspension) },
        loss: 'agent_day',
      });
    }
    if (activeAgentId !== undefined && agentDay?.agentId !== activeAgentId)
      actions.push({ item: { ConditionCheck: unsuspendedCheck(this.table, activeAgentId) }, loss: 'agent' });
    // The recipient's slot checks the consent; a text without one checks the phone's state itself.
    if (claim.consent !== undefined && claim.recipient === undefined) {
      for (const check of consentUnchangedChecks(this.ledgerTable, claim.consent))
        actions.push({ item: { ConditionCheck: check }, loss: 'consent' });
    }
    if (claim.blackoutsVersion !== undefined)
      actions.push({
        item: { ConditionCheck: blackoutsUnchangedCheck(this.table, claim.blackoutsVersion) },
        loss: 'blackouts',
      });

    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: actions.map((action) => action.item) as TransactWriteCommandItems,
          }),
        );
        break;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        const refused = actions.find((_, i) => codes[i] === 'ConditionalCheckFailed');
        if (refused !== undefined) {
          if (refused.loss === 'recipient') this.seenLists.delete(claim.recipient!.phone);
          return { claimed: false, lost: refused.loss };
        }
        if (!codes.some((code) => CONTENDED.has(code)) || attempt >= CLAIM_TRIES)
          return { claimed: false, lost: 'contention' };
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
      }
    }
    if (recipientSends !== undefined) this.remember(claim.recipient!.phone, recipientSends);
    return { claimed: true };
  }

  /** One conditional UpdateItem (ADD -1, never below 0, only while the item counts `utcDate`). */
  async releaseAgentSend(agentId: string, utcDate: string): Promise<void> {
    await writeIf(() => this.client.send(new UpdateCommand(releaseDaySlot(this.table, agentId, utcDate))));
  }

  /** One GetItem (strongly consistent). */
  async consentVersionCopy(phone: string): Promise<{ kept: false } | { kept: true; version?: number }> {
    const item = await getItem<RecipientItem>(this.client, this.table, { key: recipientKey(phone) });
    if (item === undefined) return { kept: false };
    return item.consentVersion === undefined ? { kept: true } : { kept: true, version: item.consentVersion };
  }

  /** One GetItem (strongly consistent); 0 when the agent sent nothing that day. */
  async agentSendsOn(agentId: string, utcDate: string): Promise<number> {
    const item = await getItem<AgentSendsItem>(this.client, this.table, { key: agentSendsKey(agentId) });
    return sendsOn(item, utcDate);
  }

  /**
   * One GetItem and one conditional UpdateItem (again when another send moved the count); no cap.
   * Returns the day's new count. The item counts one day: a day before it can no longer be counted.
   */
  async incrementAgentSends(agentId: string, utcDate: string): Promise<number> {
    for (;;) {
      const item = await getItem<AgentSendsItem>(this.client, this.table, { key: agentSendsKey(agentId) });
      if (item?.day !== undefined && item.day > utcDate)
        throw new Error(`incrementAgentSends: ${agentId} already counts ${item.day}, after ${utcDate}`);
      const seenCount = sendsOn(item, utcDate);
      const slot = { agentId, utcDate, cap: Number.MAX_SAFE_INTEGER, seenCount };
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({ ...takeDaySlot(this.table, slot, false), ReturnValues: 'UPDATED_NEW' }),
        );
        return Attributes?.count as number;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  /** The list stored at `version`: from this instance's memory when it has it, else one GetItem. */
  private async storedAt(phone: string, version: number): Promise<StoredSends> {
    const remembered = this.seenLists.get(phone);
    const fresh = remembered !== undefined && remembered.version === version && remembered.until > Date.now();
    return fresh ? remembered : this.readRecipient(phone);
  }

  /** The recipient's new list at the next version; with `consentVersion`, also the consent check. */
  private recipientUpdate(
    phone: string,
    sends: RecentSendRecord[],
    seenVersion: number,
    at: string,
    consentVersion?: number,
  ) {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = {
      ':sends': sends,
      ':next': seenVersion + 1,
      ':expiresAt': epochSeconds(at) + COUNTER_TTL_SECONDS,
    };
    let condition = 'attribute_not_exists(#version)';
    if (seenVersion !== 0) {
      condition = '#version = :seen';
      values[':seen'] = seenVersion;
    }
    let sets = 'SET sends = :sends, #version = :next, expiresAt = :expiresAt';
    if (consentVersion !== undefined) {
      const consent = consentUnchangedCondition(consentVersion);
      condition = `${condition} AND ${consent.condition}`;
      Object.assign(names, consent.names);
      Object.assign(values, consent.values);
      // A copy gone with an expired item is put back: the item then says what the claim checked.
      if (consentVersion !== 0) sets += ', #consentVersion = :consentVersion';
    }
    return {
      TableName: this.table,
      Key: { key: recipientKey(phone) },
      UpdateExpression: sets,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private async readRecipient(phone: string): Promise<StoredSends> {
    const item = await getItem<RecipientItem>(this.client, this.table, { key: recipientKey(phone) });
    const stored = { version: item?.version ?? 0, sends: item?.sends ?? [] };
    this.remember(phone, stored);
    return stored;
  }

  private remember(phone: string, stored: StoredSends): void {
    this.seenLists.delete(phone);
    this.seenLists.set(phone, { ...stored, until: Date.now() + REMEMBER_MS });
    // Maps iterate in insertion order: the first key is the least recently remembered.
    if (this.seenLists.size > REMEMBERED_LISTS) {
      const oldest = this.seenLists.keys().next().value;
      if (oldest !== undefined) this.seenLists.delete(oldest);
    }
  }
}

type TransactAction = { item: Record<string, unknown>; loss: SendClaimLoss };

type TransactWriteCommandItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

/**
 * The sends kept after `send` is taken: those since `keepSince`, without an earlier slot of the
 * same message (a text retried after a 5xx stands for one send, not two), plus `send`.
 */
function nextSends(
  stored: readonly RecentSendRecord[],
  send: RecentSendRecord,
  keepSince: string,
): RecentSendRecord[] {
  const earliest = Date.parse(keepSince);
  return [
    ...stored.filter((kept) => Date.parse(kept.at) >= earliest && kept.messageId !== send.messageId),
    send,
  ];
}
