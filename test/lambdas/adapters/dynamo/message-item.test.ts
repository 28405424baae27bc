import fc from 'fast-check';
import { DUE_SHARDS, dueShard, dueShardsOf } from '../../../../lambdas/adapters/dynamo/message-item';

describe('dueShard', () => {
  it('names the UTC due day and a two-digit shard', () => {
    // act
    const shard = dueShard(new Date('2027-03-14T23:30:00-05:00'), 'msg_0123456789abcdef');

    // assess
    expect(shard).toMatch(/^2027-03-15#\d{2}$/);
    expect(Number(shard.slice(-2))).toBeLessThan(DUE_SHARDS);
  });

  it('is stable for an id and within range for any id and shard count', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1, max: 100 }),
        (id, shards) => {
          const at = new Date('2030-06-01T12:00:00Z');
          const first = dueShard(at, id, shards);
          const shard = Number(first.split('#')[1]);
          return (
            first === dueShard(at, id, shards) &&
            shard >= 0 &&
            shard < shards &&
            first.startsWith('2030-06-01#')
          );
        },
      ),
    );
  });

  it('spreads ids evenly enough that no shard holds twice its share', () => {
    // prepare
    const ids = Array.from({ length: 16_000 }, (_, i) => `msg_${i.toString(16).padStart(32, '0')}`);
    const counts = new Map<string, number>();

    // act
    for (const id of ids) {
      const shard = dueShard(new Date('2030-06-01T12:00:00Z'), id);
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }

    // assess
    expect(counts.size).toBe(DUE_SHARDS);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(16_000 / DUE_SHARDS / 2);
      expect(count).toBeLessThan((16_000 / DUE_SHARDS) * 2);
    }
  });

  it('refuses a shard count it cannot write in two digits', () => {
    // act + assess
    expect(() => dueShard(new Date(), 'msg_1', 0)).toThrow(RangeError);
    expect(() => dueShard(new Date(), 'msg_1', 101)).toThrow(RangeError);
  });
});

describe('dueShardsOf', () => {
  it('names every shard a step of the day can be in', () => {
    // prepare
    const day = '2030-06-01';
    const ids = Array.from({ length: 1_000 }, (_, i) => `msg_${i.toString(16).padStart(32, '0')}`);

    // act
    const shards = new Set(dueShardsOf(day));

    // assess
    expect(shards.size).toBe(DUE_SHARDS);
    expect(ids.every((id) => shards.has(dueShard(new Date(`${day}T23:59:59.999Z`), id)))).toBe(true);
  });
});

describe('due index at 100k enrolled contacts', () => {
  const CONTACTS = 100_000;

  it('spreads a one-day burst (every contact enrolled the same day) evenly over the shards', () => {
    // prepare
    const dueAt = new Date('2030-06-08T15:00:00Z');
    const perShard = new Map<string, number>();

    // act
    for (let i = 0; i < CONTACTS; i++) {
      const shard = dueShard(dueAt, `msg_${i.toString(16).padStart(32, '0')}`);
      perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    }

    // assess
    const counts = [...perShard.values()];
    expect(counts).toHaveLength(DUE_SHARDS);
    expect(Math.max(...counts)).toBeLessThan((CONTACTS / DUE_SHARDS) * 1.1);
  });
});
