import { createSweepHandler } from '../../../../lambdas/handlers/schedule/sweep';
import { enrollContact } from '../../../../lambdas/usecases/enroll';
import { lambdaContext } from '../../../support/http-events';
import { cadenceFixture } from '../../usecases/cadence-fixture';

describe('createSweepHandler', () => {
  it('sweeps at the clock’s now and returns what it did', async () => {
    // prepare
    const f = await cadenceFixture('2026-03-10T15:00:00.000Z');
    const agent = await f.newAgent();
    const contact = await f.newContact(agent);
    const { steps } = await enrollContact(f.deps, agent, contact.phone);
    f.clock.set('2026-03-17T16:00:00.000Z');
    const sweep = createSweepHandler(f.deps);

    // act
    const result = await sweep({ source: 'aws.scheduler' }, lambdaContext());

    // assess
    expect(result).toMatchObject({
      daysSwept: 8,
      itemsRead: 1,
      enqueued: 1,
      failed: 0,
      sweptThrough: '2026-03-16',
    });
    expect(f.queue.enqueued.at(-1)).toEqual({ messageId: steps[0]!.messageId, phone: contact.phone });
    f.close();
  });
});
