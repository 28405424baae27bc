import {
  ConflictError,
  type BlackoutEndRecord,
  type BlackoutRecord,
  type BlackoutStore,
  type StoredBlackout,
} from '../../ports';
import { BLACKOUTS_KEY, blackoutsVersionOf, declarationMove, endMove } from './blackouts-version';
import type { DynamoStoreOptions } from './document-client';
import { DynamoTableStore, getItem } from './items';
import { queryAll } from './query-all';

const SCOPE = 'blackouts';
const PREFIX = 'end#';
const ENDED = '#ended';
const declarationKey = (record: BlackoutRecord): string => `${PREFIX}${record.end}#${record.blackoutId}`;
// Declarations are an admin's, one at a time: a few tries outlast any race between two of them.
const DECLARE_TRIES = 5;

type Item = { scope: string; sk: string } & (BlackoutRecord | BlackoutEndRecord);

/**
 * Blackouts in their own append-only table: a declaration and an early end are two items put
 * once each, sorted by the declared end so the gate's read starts at now (ISO instants in UTC
 * order as strings). Each moves the counters table's `blackouts` version in the same
 * transaction (blackouts-version.ts), which the gate reads in its batch and a send claim checks.
 */
export class DynamoBlackoutStore extends DynamoTableStore implements BlackoutStore {
  private readonly counters: string;

  constructor(options: DynamoStoreOptions) {
    super(options, 'blackouts');
    this.counters = options.tables.counters;
  }

  /**
   * One GetItem of the version and one TransactWriteItems: the declaration (only if new) and the
   * next version with the latest end; a declaration racing another reads the version again.
   */
  async declare(record: BlackoutRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const seen = blackoutsVersionOf(await getItem(this.client, this.counters, { key: BLACKOUTS_KEY }));
      const refused = await this.transactIf(
        [
          this.putNew({ scope: SCOPE, sk: declarationKey(record), ...record }, 'sk'),
          { Update: declarationMove(this.counters, seen, record.end) },
        ],
        3,
      );
      if (refused === undefined) return;
      if (refused[0] === 'ConditionalCheckFailed')
        throw new ConflictError(`blackout ${record.blackoutId} exists already`);
      if (attempt >= DECLARE_TRIES) throw new Error(`blackout ${record.blackoutId}: the version kept moving`);
    }
  }

  /** One transaction: the declaration must be stored, the end must not be yet; the version moves. */
  async end(blackout: BlackoutRecord, end: BlackoutEndRecord): Promise<boolean> {
    const sk = declarationKey(blackout);
    const refused = await this.transactIf(
      [
        {
          ConditionCheck: {
            TableName: this.table,
            Key: { scope: SCOPE, sk },
            ConditionExpression: 'attribute_exists(sk)',
          },
        },
        this.putNew({ scope: SCOPE, sk: `${sk}${ENDED}`, ...end }, 'sk'),
        { Update: endMove(this.counters) },
      ],
      3,
    );
    return refused === undefined;
  }

  /** One Query (more only past 1 MB of blackouts), strongly consistent. */
  async list(after?: string): Promise<StoredBlackout[]> {
    const items = await queryAll<Item>(this.client, {
      TableName: this.table,
      KeyConditionExpression: after === undefined ? '#scope = :scope' : '#scope = :scope AND #sk > :after',
      ExpressionAttributeNames:
        after === undefined ? { '#scope': 'scope' } : { '#scope': 'scope', '#sk': 'sk' },
      ExpressionAttributeValues:
        after === undefined ? { ':scope': SCOPE } : { ':scope': SCOPE, ':after': `${PREFIX}${after}` },
      ConsistentRead: true,
    });
    const ends = new Map<string, BlackoutEndRecord>();
    for (const item of items) {
      if (item.sk.endsWith(ENDED)) ends.set(item.blackoutId, endOf(item as BlackoutEndRecord));
    }
    return items
      .filter((item) => !item.sk.endsWith(ENDED))
      .map((item) => {
        const record = declarationOf(item as BlackoutRecord);
        const ended = ends.get(record.blackoutId);
        return ended === undefined ? record : { ...record, ended };
      });
  }
}

function declarationOf(item: BlackoutRecord): BlackoutRecord {
  const { blackoutId, states, start, end, reason, createdAt, createdBy } = item;
  return { blackoutId, states, start, end, reason, createdAt, createdBy };
}

function endOf(item: BlackoutEndRecord): BlackoutEndRecord {
  const { blackoutId, endedAt, reason, endedBy } = item;
  return { blackoutId, endedAt, reason, endedBy };
}
