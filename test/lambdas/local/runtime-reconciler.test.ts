import type { LocalRuntime } from '../../../lambdas/local/runtime';
import { startTestRuntime } from '../../e2e/runtime-fixture';

let runtime: LocalRuntime;
// Queries of the release index, the reconciler's only read.
let releaseQueries = 0;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: new Date('2026-03-10T15:00:00.000Z') });
  runtime.engines.dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IndexName?: string };
      if (context.commandName === 'QueryCommand' && input.IndexName === 'byRelease') releaseQueries++;
      return next(args);
    },
    { step: 'initialize', name: 'countReleaseQueries' },
  );
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('the local runtime’s release reconciler', () => {
  it('runs once per 5-minute period however often the clock settles in it, as its rate schedule does', async () => {
    // prepare: the walk's end settles, and reconciles, in the period from 15:05
    await runtime.advanceClock(new Date('2026-03-10T15:07:00.000Z'));
    releaseQueries = 0;

    // act
    await runtime.settle();
    await runtime.settle();
    await runtime.advanceClock(new Date('2026-03-10T15:09:59.000Z'));
    const inThePeriod = releaseQueries;
    await runtime.advanceClock(new Date('2026-03-10T15:10:00.000Z'));
    const inTheNext = releaseQueries - inThePeriod;

    // assess
    expect(inThePeriod).toBe(0);
    expect(inTheNext).toBeGreaterThan(0);
  });
});
