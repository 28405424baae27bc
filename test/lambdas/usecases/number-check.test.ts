import { deriveConsent } from '../../../lambdas/compliance/consent';
import type { Agent } from '../../../lambdas/ports';
import { loadConsentRecords } from '../../../lambdas/usecases/consent-events';
import { sendMessage } from '../../../lambdas/usecases/send-message';
import { numberCheckRules } from '../../../lambdas/rules/number-checks';
import { phoneIn, useSendFixture } from './send-fixture';

// Wednesday 2026-07-01 11:00 in New York: inside every window.
const JUL_1_11_00_EDT = '2026-07-01T15:00:00.000Z';
const DAY = 86_400_000;

const fx = useSendFixture(JUL_1_11_00_EDT);

const drip = (agent: Agent, phone: string) => fx.queuedMessage(agent, phone);

async function contact(agent: Agent) {
  const phone = phoneIn('212');
  await fx.newContact(agent, phone, { state: 'NY', timeZone: 'America/New_York' });
  return phone;
}

describe('the reassigned-number check on the send path', () => {
  beforeEach(() => fx.clock.set(JUL_1_11_00_EDT));

  it('asks Lookup before the first automated text, sends, and records the check in the receipt', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = await contact(agent);
    const calls = fx.lookup.calls.reassigned;

    // act
    const result = await sendMessage(fx.deps, (await drip(agent, phone)).messageId);

    // assess
    expect(result.outcome).toBe('sent');
    expect(fx.lookup.calls.reassigned).toBe(calls + 1);
    expect(result.message?.receipt?.numberCheck).toMatchObject({
      answer: 'not_reassigned',
      lastVerifiedDate: '2026-06-30',
      checkedAt: JUL_1_11_00_EDT,
      cacheAgeDays: 0,
    });
    const facts = await fx.deps.stores.numbers.facts(phone);
    expect(facts.reassignedCheck).toMatchObject({ answer: 'not_reassigned', checkedAt: JUL_1_11_00_EDT });
    expect(JSON.parse(facts.reassignedCheck!.raw)).toHaveProperty(
      'reassigned_number.is_number_reassigned',
      'no',
    );
  });

  it('reuses the cached answer within the recheck period and asks again after it', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = await contact(agent);
    await sendMessage(fx.deps, (await drip(agent, phone)).messageId);
    const calls = fx.lookup.calls.reassigned;

    // act
    fx.clock.set(new Date(Date.parse(JUL_1_11_00_EDT) + 10 * DAY).toISOString());
    const cached = await sendMessage(fx.deps, (await drip(agent, phone)).messageId);
    const callsAfterCached = fx.lookup.calls.reassigned;
    fx.clock.set(
      new Date(Date.parse(JUL_1_11_00_EDT) + (numberCheckRules.recheckAfterDays + 2) * DAY).toISOString(),
    );
    const rechecked = await sendMessage(fx.deps, (await drip(agent, phone)).messageId);

    // assess
    expect(cached.outcome).toBe('sent');
    expect(cached.message?.receipt?.numberCheck).toMatchObject({
      answer: 'not_reassigned',
      cacheAgeDays: 10,
    });
    expect(callsAfterCached).toBe(calls);
    expect(rechecked.outcome).toBe('sent');
    expect(fx.lookup.calls.reassigned).toBe(calls + 1);
  });

  it('sends when the answer cannot be cached, says so, and asks Lookup again for the next text', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = await contact(agent);
    const { numbers } = fx.deps.stores;
    const save = numbers.saveReassignedCheck;
    numbers.saveReassignedCheck = () => Promise.reject(new Error('throttled'));
    const calls = fx.lookup.calls.reassigned;

    // act
    let unsaved;
    try {
      unsaved = await sendMessage(fx.deps, (await drip(agent, phone)).messageId);
    } finally {
      numbers.saveReassignedCheck = save;
    }
    // Past the recipient's cap, well inside the recheck period: only a lost answer asks again.
    fx.clock.set(new Date(Date.parse(JUL_1_11_00_EDT) + 2 * DAY).toISOString());
    const next = await sendMessage(fx.deps, (await drip(agent, phone)).messageId);

    // assess
    expect(unsaved.outcome).toBe('sent');
    expect(unsaved.answerNotSaved).toMatch(/throttled/);
    expect(unsaved.message?.receipt?.numberCheck).toMatchObject({ answer: 'not_reassigned' });
    expect(next.outcome).toBe('sent');
    expect(next.answerNotSaved).toBeUndefined();
    expect(fx.lookup.calls.reassigned).toBe(calls + 2);
  });

  it('blocks a reassigned number, records number_reassigned for every agent and stops the enrollment', async () => {
    // prepare
    const agent = await fx.newAgent();
    const other = await fx.newAgent();
    const phone = await contact(agent);
    await fx.newContact(other, phone, { state: 'NY' });
    await fx.deps.stores.contacts.setEnrollment(agent.agentId, phone, {
      cadenceVersion: 'v',
      enrolledAt: '2026-06-01T00:00:00.000Z',
      status: 'active',
    });
    // The contact's consent is dated a day before now: make the reassignment later than that.
    fx.lookup.declare(phone, { reassignedAt: new Date(Date.parse(JUL_1_11_00_EDT) - 3_600_000) });

    // act
    const result = await sendMessage(fx.deps, (await drip(agent, phone)).messageId);

    // assess
    expect(result.outcome).toBe('blocked');
    expect(result.message?.receipt?.reasons.join(' ')).toMatch(/reassigned since 2026-06-30/);
    expect(fx.twilio.outbox().filter((entry) => entry.to === phone)).toHaveLength(0);
    const records = await loadConsentRecords(fx.deps.stores, other.agentId, phone);
    const verdict = deriveConsent(records.events, {
      agentId: other.agentId,
      phone,
      channel: 'sms',
      at: fx.clock.now(),
      purpose: 'automated',
    });
    expect(verdict).toMatchObject({ status: 'number_reassigned', permits: false });
    const stored = await fx.deps.stores.contacts.get(agent.agentId, phone);
    expect(stored?.enrollment).toMatchObject({ status: 'stopped' });
  });

  it.each(['timeout', 'http_500', 'unparsable'] as const)(
    'holds the text when Lookup fails (%s), retries with backoff and never sends it unchecked',
    async (failing) => {
      // prepare
      const agent = await fx.newAgent();
      const phone = await contact(agent);
      fx.lookup.declare(phone, { failing });
      const message = await drip(agent, phone);

      // act
      const first = await sendMessage(fx.deps, message.messageId);
      fx.clock.set(first.message!.releaseAt!);
      const second = await sendMessage(fx.deps, message.messageId);

      // assess
      expect(first.outcome).toBe('held');
      expect(first.lookupFailure).toBeDefined();
      expect(Date.parse(first.message!.releaseAt!) - Date.parse(JUL_1_11_00_EDT)).toBe(
        numberCheckRules.retry.firstDelayMinutes * 60_000,
      );
      expect(second.outcome).toBe('held');
      expect(second.message?.receipt?.numberCheck?.failures?.count).toBe(2);
      expect(fx.twilio.outbox().filter((entry) => entry.to === phone)).toHaveLength(0);
    },
  );

  it('sends once Lookup answers again, and gives up to review after the retry period', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = await contact(agent);
    fx.lookup.declare(phone, { failing: 'http_500' });
    const recovers = await drip(agent, phone);
    const never = await drip(agent, phone);

    // act
    await sendMessage(fx.deps, recovers.messageId);
    await sendMessage(fx.deps, never.messageId);
    fx.clock.set(
      new Date(
        Date.parse(JUL_1_11_00_EDT) + (numberCheckRules.retry.giveUpAfterHours + 1) * 3_600_000,
      ).toISOString(),
    );
    const review = await sendMessage(fx.deps, never.messageId);
    fx.lookup.declare(phone, { failing: undefined });
    const sent = await sendMessage(fx.deps, recovers.messageId);

    // assess
    expect(review.outcome).toBe('needs_review');
    expect(review.reason).toMatch(/failing for 24 h/);
    expect(sent.outcome).toBe('sent');
  });

  it('does not check manual texts', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = await contact(agent);
    fx.lookup.declare(phone, { failing: 'timeout' });
    const manual = await fx.queuedMessage(agent, phone, {
      kind: 'manual',
      purpose: 'manual',
      body: 'Open house Sunday?',
    });

    // act
    const result = await sendMessage(fx.deps, manual.messageId);

    // assess
    expect(result.outcome).toBe('sent');
    expect(result.message?.receipt?.numberCheck).toBeUndefined();
  });
});
