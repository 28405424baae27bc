import type { LocalRuntime } from '../../lambdas/local/runtime';
import { httpClient } from './api-client';
import { startTestRuntime } from './runtime-fixture';

let runtime: LocalRuntime;
let call: ReturnType<typeof httpClient>;
// Tuesday 22:00 in New York: a manual text is held until 08:00 (13:00Z).
const TUESDAY_NIGHT = new Date('2026-11-25T03:00:00Z');
const RELEASE = '2026-11-25T13:00:00.000Z';

beforeAll(async () => {
  runtime = await startTestRuntime({ demoAgent: false, clockStart: TUESDAY_NIGHT });
  call = httpClient(runtime.baseUrl);
}, 90_000);

afterAll(async () => {
  await runtime?.stop();
});

async function heldText(sender: string, phone: string) {
  const agent = (
    await call('POST', '/v1/agents', runtime.adminKey, {
      name: 'Dana Reyes',
      brokerage: 'Harbor Realty',
      senderNumber: sender,
      forwardTo: '+12125550199',
    })
  ).body as { apiKey: string };
  await call('PUT', `/v1/contacts/${phone}`, agent.apiKey, { name: 'Sam Lee', state: 'NY' });
  await call('POST', `/v1/contacts/${phone}/consent`, agent.apiKey, {
    type: 'express_written',
    method: 'signed_form',
    at: '2026-11-20T16:00:00Z',
    capturedBy: 'Dana Reyes',
    evidence: 'listing agreement, SMS clause',
    channel: 'sms',
  });
  const created = await call('POST', '/v1/messages', agent.apiKey, { to: phone, body: 'Dana: see you at 9' });
  return { agent, messageId: created.body.messageId as string, created };
}

const schedulesOf = (messageId: string) =>
  runtime.scheduler.list().filter((schedule) => schedule.target.Input?.includes(messageId));
const inbox = (phone: string) => runtime.twilio.inbox(phone).filter((m) => m.body.includes('see you at 9'));

describe('held texts on a Scheduler that fires within the minute, at least once', () => {
  it('books a fresh release when one comes back before its instant, and sends the text at its release', async () => {
    // prepare
    const phone = '+12125550141';
    const { messageId, created } = await heldText('+12125550111', phone);

    // act: the release arrives early (a duplicate delivery before the instant)
    await runtime.deps.queue.enqueue({ messageId, phone, dedupSuffix: 'early' });
    await runtime.settle();
    const afterEarly = (await runtime.deps.stores.messages.get(messageId))!;
    const schedulesAfterEarly = schedulesOf(messageId);
    await runtime.advanceClock(new Date(Date.parse(RELEASE) + 2 * 60_000));

    // assess
    expect(created.body).toMatchObject({ verdict: 'hold', releaseAt: RELEASE });
    expect(afterEarly.status).toBe('held');
    expect(schedulesAfterEarly.map((schedule) => schedule.name)).toHaveLength(2);
    expect(new Set(schedulesAfterEarly.map((schedule) => schedule.name)).size).toBe(2);
    expect(schedulesAfterEarly.every((schedule) => schedule.fireAt.getTime() >= Date.parse(RELEASE))).toBe(
      true,
    );
    expect(inbox(phone)).toHaveLength(1);
    expect(Date.parse(inbox(phone)[0]!.at)).toBeGreaterThanOrEqual(Date.parse(RELEASE));
  });

  it('requeues a held text whose schedule went missing once it is 5 minutes past its release', async () => {
    // prepare
    await runtime.advanceClock(new Date('2026-11-26T03:00:00Z'));
    const phone = '+12125550142';
    const release = '2026-11-26T13:00:00.000Z';
    const { messageId } = await heldText('+12125550112', phone);
    for (const schedule of schedulesOf(messageId)) runtime.scheduler.drop(schedule.name, schedule.groupName);
    const foundBefore = runtime.overdueReleasesFound();

    // act
    await runtime.advanceClock(new Date(Date.parse(release) + 4 * 60_000));
    const stillHeld = (await runtime.deps.stores.messages.get(messageId))!.status;
    await runtime.advanceClock(new Date(Date.parse(release) + 10 * 60_000));

    // assess
    expect(stillHeld).toBe('held');
    expect(runtime.overdueReleasesFound() - foundBefore).toBe(1);
    const message = (await runtime.deps.stores.messages.get(messageId))!;
    expect(message.status).toMatch(/sent|delivered/);
    expect(inbox(phone)).toHaveLength(1);
    expect(Date.parse(inbox(phone)[0]!.at)).toBeLessThanOrEqual(Date.parse(release) + 10 * 60_000);
  });

  it("sends a text whose schedule fires hours late at the reconciler's next run, not at the next clock stop", async () => {
    // prepare
    await runtime.advanceClock(new Date('2026-11-27T03:00:00Z'));
    const phone = '+12125550143';
    const release = '2026-11-27T13:00:00.000Z';
    const { messageId } = await heldText('+12125550113', phone);
    runtime.scheduler.delayFires(3 * 3_600_000);
    const foundBefore = runtime.overdueReleasesFound();

    // act: one jump over the release, with no stop asked for in between
    try {
      await runtime.advanceClock(new Date(Date.parse(release) + 2 * 3_600_000));
    } finally {
      runtime.scheduler.delayFires(0);
    }

    // assess
    expect(runtime.overdueReleasesFound() - foundBefore).toBe(1);
    expect((await runtime.deps.stores.messages.get(messageId))!.status).toMatch(/sent|delivered/);
    expect(inbox(phone)).toHaveLength(1);
    const sentAt = Date.parse(inbox(phone)[0]!.at);
    expect(sentAt).toBeGreaterThan(Date.parse(release) + 5 * 60_000);
    expect(sentAt).toBeLessThanOrEqual(Date.parse(release) + 10 * 60_000);
  });
});
