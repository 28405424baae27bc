import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { blackoutRules } from '../../../../lambdas/rules/blackouts';
import { bearer } from '../../../support/http-events';
import { FIXTURE_NOW, httpFixture, type HttpFixture } from './fixture';

let fx: HttpFixture;
beforeAll(async () => {
  fx = await httpFixture();
});
beforeEach(() => fx.clock.set(FIXTURE_NOW));

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const at = (offsetMs: number) => new Date(Date.parse(FIXTURE_NOW) + offsetMs).toISOString();

const declare = (body: unknown, headers = bearer(fx.adminKey)) =>
  fx.request('blackouts.declare', { headers, body });
const list = (query?: Record<string, string>) => fx.request('blackouts.list', { apiKey: fx.adminKey, query });
const end = (id: string, body: unknown) =>
  fx.call('blackouts.end', {
    method: 'POST',
    path: `/v1/admin/blackouts/${id}/end`,
    pathParameters: { id },
    headers: bearer(fx.adminKey),
    body,
  });

/** Every item of the blackouts table: what a refusal must leave untouched. */
async function storedItems(): Promise<unknown[]> {
  const { Items } = await fx.db.send(
    new QueryCommand({
      TableName: fx.tables.blackouts,
      KeyConditionExpression: '#scope = :scope',
      ExpressionAttributeNames: { '#scope': 'scope' },
      ExpressionAttributeValues: { ':scope': 'blackouts' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

const valid = () => ({
  states: ['LA', 'ms'],
  start: '2026-03-10T09:00:00-05:00',
  end: '2026-03-14T18:00:00-05:00',
  reason: 'Hurricane Ida: Governor’s state of emergency (R.S. 45:844.31)',
});

describe('POST /v1/admin/blackouts', () => {
  it.each([
    ['end before start', { end: '2026-03-10T08:00:00-05:00' }, 'body.end', /must be after start/],
    ['end equal to start', { end: '2026-03-10T14:00:00Z' }, 'body.end', /must be after start/],
    [
      'an unknown state code',
      { states: ['LA', 'XX'] },
      'body.states.1',
      /not a USPS state or territory code/,
    ],
    [
      'a period over the longest',
      { end: '2026-05-10T09:00:00-05:00' },
      'body.end',
      new RegExp(`at most ${blackoutRules.maxDays} days`),
    ],
    ['an empty reason', { reason: '   ' }, 'body.reason', /must not be empty/],
    ['no state', { states: [] }, 'body.states', /at least one state/],
    [
      'an end already past',
      { start: at(-3 * DAY_MS), end: at(-HOUR_MS) },
      'body.end',
      /must be in the future/,
    ],
  ])(
    'answers 422 naming the field and the rule for %s, and writes nothing',
    async (_, change, path, rule) => {
      // prepare
      const before = await storedItems();

      // act
      const reply = await declare({ ...valid(), ...change });

      // assess
      expect(reply.status).toBe(422);
      expect(reply.body.error).toBe('invalid_blackout');
      expect(reply.body.issues).toEqual([{ path, message: expect.stringMatching(rule) }]);
      expect(reply.body.message).toContain(path);
      expect(await storedItems()).toEqual(before);
    },
  );

  it('answers 400 for an instant without an offset and 403 for an agent’s key, writing nothing', async () => {
    // prepare
    const before = await storedItems();
    const agent = await fx.newAgent();

    // act
    const noOffset = await declare({ ...valid(), start: '2026-03-10T09:00:00' });
    const byAgent = await declare(valid(), bearer(agent.apiKey));

    // assess
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.issues[0].path).toBe('body.start');
    expect(byAgent.status).toBe(403);
    expect(await storedItems()).toEqual(before);
  });

  it('stores the blackout and answers 201 with its id, when and by whom', async () => {
    // act
    const reply = await declare({ ...valid(), by: 'Ops: J. Doe' });

    // assess
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      blackoutId: expect.stringMatching(/^blk_[a-f0-9]{32}$/),
      states: ['LA', 'MS'],
      start: '2026-03-10T14:00:00.000Z',
      end: '2026-03-14T23:00:00.000Z',
      reason: valid().reason,
      createdAt: FIXTURE_NOW,
      createdBy: 'Ops: J. Doe',
      effectiveEnd: '2026-03-14T23:00:00.000Z',
      status: 'active',
    });
  });
});

describe('GET /v1/admin/blackouts and POST /v1/admin/blackouts/{id}/end', () => {
  it('lists in force first, then those to come; ends one early with a record next to the original', async () => {
    // prepare: a fresh fixture so the list holds only these
    fx = await httpFixture();
    const upcoming = (
      await declare({ ...valid(), states: ['FL'], start: at(2 * DAY_MS), end: at(4 * DAY_MS) })
    ).body;
    const active = (await declare({ ...valid(), start: at(-HOUR_MS), end: at(DAY_MS) })).body;
    const original = (await storedItems()).length;

    // act
    const all = await list();
    const activeNow = await list({ active: 'now' });
    fx.clock.set(at(HOUR_MS));
    const ended = await end(active.blackoutId, { reason: 'Governor lifted the declaration', by: 'Ops' });
    const again = await end(active.blackoutId, { reason: 'twice' });
    const afterEnd = await list({ active: 'now' });
    const items = await storedItems();

    // assess
    expect(all.status).toBe(200);
    expect(all.body.blackouts.map((b: { blackoutId: string }) => b.blackoutId)).toEqual([
      active.blackoutId,
      upcoming.blackoutId,
    ]);
    expect(all.body.blackouts.map((b: { status: string }) => b.status)).toEqual(['active', 'upcoming']);
    expect(activeNow.body.blackouts.map((b: { blackoutId: string }) => b.blackoutId)).toEqual([
      active.blackoutId,
    ]);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({
      blackoutId: active.blackoutId,
      end: active.end,
      effectiveEnd: at(HOUR_MS),
      status: 'over',
      ended: { endedAt: at(HOUR_MS), reason: 'Governor lifted the declaration', endedBy: 'Ops' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_ended');
    expect(afterEnd.body.blackouts).toEqual([]);
    // the declaration is still stored as it was; the end is one more item
    expect(items).toHaveLength(original + 1);
    expect(items).toContainEqual(expect.objectContaining({ blackoutId: active.blackoutId, end: active.end }));
  });

  it('answers 404 for an unknown blackout, 400 for a malformed id and 422 for an empty reason', async () => {
    // prepare
    const active = (await declare(valid())).body;

    // act
    const unknown = await end(`blk_${'0'.repeat(32)}`, { reason: 'over' });
    const malformed = await end('nope', { reason: 'over' });
    const noReason = await end(active.blackoutId, { reason: ' ' });

    // assess
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
    expect(noReason.status).toBe(422);
    expect(noReason.body.issues).toEqual([{ path: 'body.reason', message: 'must not be empty' }]);
    expect(
      (await list()).body.blackouts.find((b: { blackoutId: string }) => b.blackoutId === active.blackoutId),
    ).not.toHaveProperty('ended');
  });
});
