import { useTestRuntime } from './runtime-fixture';

// Tuesday 22:00 in New York: a manual text is held until 08:00 (13:00Z).
const TUESDAY_NIGHT = new Date('2026-11-25T03:00:00Z');
const RELEASE = '2026-11-25T13:00:00.000Z';

const e2e = useTestRuntime({ demoAgent: false, clockStart: TUESDAY_NIGHT });
const { call } = e2e;

async function heldText(sender: string, phone: string) {
  const agent = await e2e.newAgent({ senderNumber: sender, forwardTo: '+12125550199' });
  await call('PUT', `/v1/contacts/${phone}`, agent.apiKey, { name: 'Sam Lee', state: 'NY' });
  await e2e.writtenConsent(agent.apiKey, phone, {
    at: '2026-11-20T16:00:00Z',
    evidence: 'listing agreement, SMS clause',
  });
  const created = await call('POST', '/v1/messages', agent.apiKey, { to: phone, body: 'Dana: see you at 9' });
  return { agent, messageId: created.body.messageId as string, created };
}

const schedulesOf = (messageId: string) =>
  e2e.runtime.scheduler.list().filter((schedule) => schedule.target.Input?.includes(messageId));
const inbox = (phone: string) =>
  e2e.runtime.twilio.inbox(phone).filter((m) => m.body.includes('see you at 9'));

describe('held texts on a Scheduler that fires within the minute, at least once', () => {
  it('books a fresh release when one comes back before its instant, and sends the text at its release', async () => {
    // prepare
    const phone = '+12125550141';
    const { messageId, created } = await heldText('+12125550111', phone);

    // act: the release arrives early (a duplicate delivery before the instant)
    await e2e.runtime.deps.queue.enqueue({ messageId, phone, dedupSuffix: 'early' });
    await e2e.runtime.settle();
    const afterEarly = (await e2e.runtime.deps.stores.messages.get(messageId))!;
    const schedulesAfterEarly = schedulesOf(messageId);
    await e2e.runtime.advanceClock(new Date(Date.parse(RELEASE) + 2 * 60_000));

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
    await e2e.runtime.advanceClock(new Date('2026-11-26T03:00:00Z'));
    const phone = '+12125550142';
    const release = '2026-11-26T13:00:00.000Z';
    const { messageId } = await heldText('+12125550112', phone);
    for (const schedule of schedulesOf(messageId))
      e2e.runtime.scheduler.drop(schedule.name, schedule.groupName);
    const foundBefore = e2e.runtime.overdueReleasesFound();

    // act
    await e2e.runtime.advanceClock(new Date(Date.parse(release) + 4 * 60_000));
    const stillHeld = (await e2e.runtime.deps.stores.messages.get(messageId))!.status;
    await e2e.runtime.advanceClock(new Date(Date.parse(release) + 10 * 60_000));

    // assess
    expect(stillHeld).toBe('held');
    expect(e2e.runtime.overdueReleasesFound() - foundBefore).toBe(1);
    const message = (await e2e.runtime.deps.stores.messages.get(messageId))!;
    expect(message.status).toMatch(/sent|delivered/);
    expect(inbox(phone)).toHaveLength(1);
    expect(Date.parse(inbox(phone)[0]!.at)).toBeLessThanOrEqual(Date.parse(release) + 10 * 60_000);
  });

  it("sends a text whose schedule fires hours late at the reconciler's next run, not at the next clock stop", async () => {
    // prepare
    await e2e.runtime.advanceClock(new Date('2026-11-27T03:00:00Z'));
    const phone = '+12125550143';
    const release = '2026-11-27T13:00:00.000Z';
    const { messageId } = await heldText('+12125550113', phone);
    e2e.runtime.scheduler.delayFires(3 * 3_600_000);
    const foundBefore = e2e.runtime.overdueReleasesFound();

    // act: one jump over the release, with no stop asked for in between
    try {
      await e2e.runtime.advanceClock(new Date(Date.parse(release) + 2 * 3_600_000));
    } finally {
      e2e.runtime.scheduler.delayFires(0);
    }

    // assess
    expect(e2e.runtime.overdueReleasesFound() - foundBefore).toBe(1);
    expect((await e2e.runtime.deps.stores.messages.get(messageId))!.status).toMatch(/sent|delivered/);
    expect(inbox(phone)).toHaveLength(1);
    const sentAt = Date.parse(inbox(phone)[0]!.at);
    expect(sentAt).toBeGreaterThan(Date.parse(release) + 5 * 60_000);
    expect(sentAt).toBeLessThanOrEqual(Date.parse(release) + 10 * 60_000);
  });
});
