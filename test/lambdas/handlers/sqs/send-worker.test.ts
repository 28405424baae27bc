import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createSendWorkerHandler } from '../../../../lambdas/handlers/sqs/send-worker';
import type { Agent } from '../../../../lambdas/ports';
import { createMessage } from '../../../../lambdas/usecases/create-message';
import { lambdaContext } from '../../../support/http-events';
import { phoneIn, useSendFixture } from '../../usecases/send-fixture';

// 10:00 in New York: manual texts to consented NY contacts go at once.
const NOW = '2026-03-03T15:00:00.000Z';

const fx = useSendFixture(NOW);

/** An SQS FIFO record as Lambda's event source mapping delivers it. */
function record(body: string, group: string, sequence: number): SQSRecord {
  return {
    messageId: `record-${sequence}`,
    receiptHandle: `handle-${sequence}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1772550000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1772550000000',
      SequenceNumber: String(sequence),
      MessageGroupId: group,
      MessageDeduplicationId: `dedup-${sequence}`,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:consentline-send.fifo',
    awsRegion: 'us-east-1',
  };
}

/** Queued manual texts to one new consented NY contact, as records of one batch. */
async function queuedTexts(agent: Agent, bodies: string[]): Promise<{ phone: string; records: SQSRecord[] }> {
  const phone = phoneIn('212');
  await fx.newContact(agent, phone, { state: 'NY' });
  const records: SQSRecord[] = [];
  for (const body of bodies) {
    const { messageId } = await createMessage(fx.deps, agent, { to: phone, body });
    records.push(record(JSON.stringify({ messageId }), phone, records.length + 1));
  }
  return { phone, records };
}

const worker = () => createSendWorkerHandler(fx.deps);
const bodyOf = (records: SQSRecord[], index: number): string => {
  const found = records[index];
  if (found === undefined) throw new Error(`no record ${index}`);
  return found.body;
};
const event = (records: SQSRecord[]): SQSEvent => ({ Records: records });
const bodiesTo = (phone: string) =>
  fx.twilio
    .outbox()
    .filter((entry) => entry.to === phone)
    .map((entry) => entry.body);

describe('createSendWorkerHandler', () => {
  beforeEach(() => fx.clock.set(NOW));

  it('sends every text of a batch in queue order and reports no failures', async () => {
    // prepare
    const agent = await fx.newAgent();
    const { phone, records } = await queuedTexts(agent, [
      'First, Dana Reyes here',
      'Second, Dana Reyes here',
    ]);

    // act
    const response = await worker()(event(records), lambdaContext());

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(bodiesTo(phone)).toEqual(['First, Dana Reyes here', 'Second, Dana Reyes here']);
  });

  it('fails the record Twilio answered 500 for and every record after it, so none overtakes it', async () => {
    // prepare
    const agent = await fx.newAgent();
    const { phone, records } = await queuedTexts(agent, ['One', 'Two', 'Three']);
    fx.twilio.failNext(1, '500');

    // act
    const response = await worker()(event(records), lambdaContext());

    // assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'record-1' },
      { itemIdentifier: 'record-2' },
      { itemIdentifier: 'record-3' },
    ]);
    expect(bodiesTo(phone)).toEqual([]);
  });

  it("fails only the failing recipient's records: another recipient's text in the same batch is sent", async () => {
    // prepare
    const agent = await fx.newAgent();
    const first = await queuedTexts(agent, ['One', 'Two']);
    const second = await queuedTexts(agent, ['Hello from Dana Reyes']);
    const interleaved = [
      record(bodyOf(first.records, 0), first.phone, 1),
      record(bodyOf(second.records, 0), second.phone, 2),
      record(bodyOf(first.records, 1), first.phone, 3),
    ];
    fx.twilio.failNext(1, '500');
    // The recipients go side by side: the second waits for the first's answer, so the 500 is the first's.
    let firstAnswered: () => void = () => {};
    const answered = new Promise<void>((resolve) => (firstAnswered = resolve));
    const deps = {
      ...fx.deps,
      sms: {
        send: async (request: Parameters<typeof fx.deps.sms.send>[0]) =>
          fx.deps.sms.send(request).finally(() => request.to === first.phone && firstAnswered()),
      },
    };
    const afterSendingClaimed = async (message: { phone: string }) => {
      if (message.phone === second.phone) await answered;
    };

    // act
    const response = await createSendWorkerHandler(deps, { afterSendingClaimed })(
      event(interleaved),
      lambdaContext(),
    );

    // assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'record-1' },
      { itemIdentifier: 'record-3' },
    ]);
    expect(bodiesTo(first.phone)).toEqual([]);
    expect(bodiesTo(second.phone)).toEqual(['Hello from Dana Reyes']);
  });

  it("sends to one recipient while another recipient's text waits: the batch's recipients go side by side", async () => {
    // prepare
    const agent = await fx.newAgent();
    const slow = await queuedTexts(agent, ['First, Dana Reyes here', 'Second, Dana Reyes here']);
    const quick = await queuedTexts(agent, ['Hello from Dana Reyes']);
    let quickClaimed: () => void = () => {};
    const quickWasClaimed = new Promise<void>((resolve) => (quickClaimed = resolve));
    const afterSendingClaimed = async (message: { phone: string }): Promise<void> => {
      if (message.phone === quick.phone) return quickClaimed();
      // One after another, the quick recipient's record would wait behind this one for good.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('recipients handled one by one')), 2_000);
      });
      await Promise.race([quickWasClaimed, timeout]).finally(() => clearTimeout(timer));
    };
    const records = [
      record(bodyOf(slow.records, 0), slow.phone, 1),
      record(bodyOf(slow.records, 1), slow.phone, 2),
      record(bodyOf(quick.records, 0), quick.phone, 3),
    ];

    // act
    const response = await createSendWorkerHandler(fx.deps, { afterSendingClaimed })(
      event(records),
      lambdaContext(),
    );

    // assess
    expect(response.batchItemFailures).toEqual([]);
    expect(bodiesTo(slow.phone)).toEqual(['First, Dana Reyes here', 'Second, Dana Reyes here']);
    expect(bodiesTo(quick.phone)).toEqual(['Hello from Dana Reyes']);
  });

  it('fails a record whose body is not a send-queue message, after handling the ones before it', async () => {
    // prepare
    const agent = await fx.newAgent();
    const { phone, records } = await queuedTexts(agent, ['Hello from Dana Reyes']);
    const garbage = record('{"id":42}', phone, 2);

    // act
    const response = await worker()(event([...records, garbage]), lambdaContext());

    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'record-2' }]);
    expect(bodiesTo(phone)).toEqual(['Hello from Dana Reyes']);
  });

  it('deletes a record whose message is already final: nothing is left to do', async () => {
    // prepare
    const agent = await fx.newAgent();
    const { phone, records } = await queuedTexts(agent, ['Only once, Dana Reyes']);
    await worker()(event(records), lambdaContext());

    // act
    const redelivery = await worker()(event(records), lambdaContext());

    // assess
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(bodiesTo(phone)).toEqual(['Only once, Dana Reyes']);
  });
});
