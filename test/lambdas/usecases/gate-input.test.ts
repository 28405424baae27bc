import { declareBlackout } from '../../../lambdas/usecases/blackouts';
import { decide } from '../../../lambdas/compliance/gate';
import type { Agent, MessageKind, MessageRecord } from '../../../lambdas/ports';
import { newMessageRecord } from '../../../lambdas/usecases/message-records';
import { loadGateInput } from '../../../lambdas/usecases/gate-input';
import { phoneIn, useSendFixture } from './send-fixture';

const NOW = '2026-03-03T15:00:00.000Z';

const fx = useSendFixture(NOW);

function message(agent: Agent, phone: string, kind: MessageKind = 'manual'): MessageRecord {
  const purpose =
    kind === 'manual'
      ? 'manual'
      : kind === 'forward' || kind === 'keyword_reply'
        ? 'confirmation'
        : 'automated';
  return newMessageRecord({
    agentId: agent.agentId,
    phone,
    kind,
    purpose,
    body: 'Hello',
    at: fx.clock.now(),
  });
}

describe('loadGateInput', () => {
  beforeEach(() => fx.clock.set(NOW));

  it('reads the contact’s signals, the ledger with the global opt-outs, and the recipient’s recent sends', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = phoneIn('305');
    await fx.newContact(agent, phone, { state: 'FL', postalCode: '33101', timeZone: 'America/New_York' });
    await fx.deps.stores.optouts.record(
      { phone, at: '2026-03-01T12:00:00.000Z', source: 'admin_import' },
      NOW,
    );
    const earlier = { at: '2026-03-03T14:00:00.000Z', purpose: 'manual' as const, messageId: 'msg_other' };
    await fx.deps.stores.caps.claimSend(phone, earlier, 0, '2026-03-02T15:00:00.000Z');
    await fx.deps.stores.caps.incrementAgentSends(agent.agentId, '2026-03-03');
    const text = message(agent, phone);

    // act
    const loaded = await loadGateInput(fx.deps, text);

    // assess
    expect(loaded.to).toBe(phone);
    expect(loaded.input.at.toISOString()).toBe(NOW);
    expect(loaded.input.recipient).toEqual({
      phone,
      state: 'FL',
      postalCode: '33101',
      timeZone: 'America/New_York',
    });
    expect(loaded.input.consentEvents.map((event) => event.type).sort()).toEqual([
      'express_written',
      'global_opt_out',
    ]);
    expect(loaded.input.recentSends).toEqual([{ at: new Date(earlier.at), purpose: 'manual' }]);
    expect(loaded.input.agentSendsToday).toBe(1);
    expect(loaded.countersVersion).toBe(1);
    expect(loaded.keepSince).toBe('2026-03-02T15:00:00.000Z');
    expect(loaded.input.doubleOptIn).toBeUndefined();
  });

  it('leaves out a caps slot this same message claimed on an earlier attempt', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = phoneIn('305');
    await fx.newContact(agent, phone, { state: 'FL' });
    const text = message(agent, phone);
    await fx.deps.stores.caps.claimSend(
      phone,
      { at: '2026-03-03T14:59:00.000Z', purpose: 'manual', messageId: text.messageId },
      0,
      '2026-03-02T15:00:00.000Z',
    );

    // act
    const loaded = await loadGateInput(fx.deps, text);

    // assess
    expect(loaded.input.recentSends).toEqual([]);
    expect(loaded.countersVersion).toBe(1);
  });

  it("reads by key in one batch (one more the first time an agent's sender is needed) and the phone in one Query; an automated text's Lookup answer and blackouts' version in the batch, the blackouts only while one may hold it", async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = phoneIn('212');
    await fx.newContact(agent, phone, { state: 'NY' });
    const tripsOf = async (text: MessageRecord, options?: { agent: Agent }): Promise<number> => {
      fx.trips.reset();
      await loadGateInput(fx.deps, text, options);
      return fx.trips.count();
    };

    // act
    const first = await tripsOf(message(agent, phone));
    const again = await tripsOf(message(agent, phone));
    const withAgent = await tripsOf(message(agent, phone), { agent });
    const automated = await tripsOf(message(agent, phone, 'drip'), { agent });
    await declareBlackout(fx.deps, {
      states: ['LA'],
      start: fx.clock.now().toISOString(),
      end: new Date(fx.clock.now().getTime() + 3_600_000).toISOString(),
      reason: 'Hurricane: state of emergency',
    });
    const underBlackout = await tripsOf(message(agent, phone, 'drip'), { agent });
    const manualUnderBlackout = await tripsOf(message(agent, phone), { agent });

    // assess: the phone's item collection (every chain, the opt-outs) is one Query; an automated
    // text also reads the phone's cached reassigned-number answer (RULES §1) and the blackouts'
    // version (RULES §3) in the batch, and the blackouts themselves only once one may hold it.
    expect({ first, again, withAgent }).toEqual({ first: again + 1, again: withAgent, withAgent: 2 });
    expect(automated).toBe(withAgent);
    expect(underBlackout).toBe(withAgent + 1);
    expect(manualUnderBlackout).toBe(withAgent);
  });

  it('hands an automated text the cached reassigned-number answer it read in the batch', async () => {
    // prepare
    const agent = await fx.newAgent();
    const phone = phoneIn('212');
    await fx.newContact(agent, phone, { state: 'NY' });
    const check = {
      phone,
      checkedAt: '2026-11-20T15:00:00.000Z',
      lastVerifiedDate: '2026-11-01',
      answer: 'not_reassigned' as const,
      raw: '{"reassigned_number":{"is_number_reassigned":false}}',
    };
    await fx.deps.stores.numbers.saveReassignedCheck(check);

    // act
    const automated = await loadGateInput(fx.deps, message(agent, phone, 'drip'), { agent });
    const manual = await loadGateInput(fx.deps, message(agent, phone), { agent });

    // assess
    expect(automated.numbers?.reassignedCheck).toEqual(check);
    expect(manual.numbers?.reassignedCheck).toBeUndefined();
  });

  it('addresses a forward to the agent’s own phone and reads nothing about the contact', async () => {
    // prepare
    const agent = await fx.newAgent();
    const contactPhone = phoneIn('212');
    await fx.newContact(agent, contactPhone, { state: 'NY' });
    const forward = message(agent, contactPhone, 'forward');

    // act
    fx.trips.reset();
    const loaded = await loadGateInput(fx.deps, forward);

    // assess
    expect(loaded.to).toBe(agent.forwardTo);
    expect(loaded.input.recipient).toEqual({ phone: agent.forwardTo });
    expect(loaded.input.consentEvents).toEqual([]);
    expect(loaded.countersVersion).toBeUndefined();
    expect(fx.trips.count()).toBe(1);
  });

  it('lets only the opt-in request through while double opt-in is pending', async () => {
    // prepare
    const agent = await fx.newAgent({ doubleOptIn: true });
    const phone = phoneIn('212');
    await fx.newContact(agent, phone, { state: 'NY' });
    await fx.deps.stores.contacts.setDoubleOptIn(agent.agentId, phone, 'sent', NOW);

    // act
    const request = await loadGateInput(fx.deps, message(agent, phone, 'opt_in_request'));
    const manual = await loadGateInput(fx.deps, message(agent, phone));

    // assess
    expect(request.input.doubleOptIn).toEqual({ status: 'sent', isOptInRequest: true });
    expect(manual.input.doubleOptIn).toEqual({ status: 'sent', isOptInRequest: false });
    expect(decide(request.input).verdict).toBe('send');
    expect(decide(manual.input).verdict).toBe('block');
  });

  it('fails loudly when the message names an agent that does not exist', async () => {
    // prepare
    const ghost = { agentId: 'agt_ghost' } as Agent;

    // act
    const loading = loadGateInput(fx.deps, message(ghost, phoneIn('212')));

    // assess
    await expect(loading).rejects.toThrow('agent agt_ghost does not exist');
  });
});
