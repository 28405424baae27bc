import { decide } from '../../../lambdas/compliance/gate';
import type { Agent, MessageRecord } from '../../../lambdas/ports';
import { loadGateInput } from '../../../lambdas/usecases/gate-input';
import { receiveInboundSms, type InboundSms } from '../../../lambdas/usecases/inbound-sms';
import { newMessageSid, randomPhone, textTo, useTwilioFixture } from '../handlers/twilio/fixture';

const MG = `MG${'ab'.repeat(16)}`;

describe('receiveInboundSms and what Twilio did itself', () => {
  const fx = useTwilioFixture();

  beforeEach(() => fx.enqueue.mockClear());

  const later = () => fx.clock.advanceTo(new Date(fx.clock.now().getTime() + 60_000));

  /** The gate's decision for a manual text from `agent` to `phone`, from the send path's own reads. */
  const gateFor = async (agent: Agent, phone: string) => {
    const at = fx.clock.now().toISOString();
    const message: MessageRecord = {
      messageId: `msg_${newMessageSid()}`,
      agentId: agent.agentId,
      phone,
      kind: 'manual',
      purpose: 'manual',
      body: 'Dana here: the inspection is at 4.',
      status: 'queued',
      history: [],
      createdAt: at,
      updatedAt: at,
    };
    return decide((await loadGateInput(fx.deps, message)).input);
  };

  describe('OptOutType (Advanced Opt-Out)', () => {
    it('opts out a text ConsentLine reads as nothing when Twilio says STOP, replies nothing, logs the mismatch', async () => {
      // prepare
      const agent = await fx.newAgent({ messagingServiceSid: MG });
      const phone = randomPhone();
      const mismatches: string[] = [];

      // act: a custom Advanced Opt-Out keyword ConsentLine's lexicon does not know
      const outcome = await receiveInboundSms(fx.deps, textTo(agent, phone, 'XYZZY', 'STOP'), {
        mismatch: ({ mismatch }) => mismatches.push(mismatch),
      });

      // assess
      expect(outcome).toMatchObject({ kind: 'opted_out', reply: { by: 'twilio' } });
      expect(await fx.deps.stores.optouts.list(phone)).toHaveLength(1);
      expect(fx.enqueue).not.toHaveBeenCalled();
      expect(mismatches).toEqual([expect.stringMatching(/OptOutType STOP but ConsentLine reads other/)]);
      expect(await fx.deps.stores.twilioBlocks.get(MG, phone)).toMatchObject({ blocked: true });
    });

    it('confirms a revocation itself when Twilio only answered it as HELP (the stricter reading wins)', async () => {
      // prepare
      const agent = await fx.newAgent({ messagingServiceSid: MG });
      const phone = randomPhone();

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(agent, phone, 'stop texting me', 'HELP'));

      // assess
      expect(outcome).toMatchObject({ kind: 'opted_out', reply: { by: 'consentline', queued: true } });
      expect(fx.enqueue).toHaveBeenCalledTimes(1);
    });

    it('records who replied on the inbound record', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      const [twilioAnswered, ours] = [textTo(agent, phone, 'HELP', 'HELP'), textTo(agent, phone, 'help?')];

      // act
      await receiveInboundSms(fx.deps, twilioAnswered);
      const outcome = await receiveInboundSms(fx.deps, ours);

      // assess
      const inbound = async (s: InboundSms) => fx.deps.stores.messages.getInbound(s.messageSid);
      expect((await inbound(twilioAnswered))?.repliedBy).toBe('twilio');
      expect((await inbound(ours))?.repliedBy).toBe(`reply_${ours.messageSid}`);
      expect(outcome).toMatchObject({ kind: 'help', reply: { by: 'consentline' } });
    });
  });

  describe("Twilio's block list", () => {
    it('keeps blocking the sender after a consent logged by hand, naming the START the contact must send', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'STOP'));
      later();
      await fx.consent(agent, phone, { at: fx.clock.now().toISOString(), method: 'verbal_call' });

      // act
      const decision = await gateFor(agent, phone);

      // assess
      expect(decision.verdict).toBe('block');
      expect(decision.receipt.reasons).toEqual([
        expect.stringMatching(new RegExp(`^Twilio blocks \\${agent.senderNumber} .*texting START`)),
      ]);
    });

    it('does not block another agent’s sender: only the global opt-out speaks for it', async () => {
      // prepare
      const [a, b] = [await fx.newAgent(), await fx.newAgent()];
      const phone = randomPhone();
      await receiveInboundSms(fx.deps, textTo(a, phone, 'STOP'));
      later();
      await fx.consent(b, phone, { at: fx.clock.now().toISOString() });

      // act
      const decision = await gateFor(b, phone);

      // assess
      expect(decision.verdict).toBe('send');
      expect(await fx.deps.stores.twilioBlocks.get(b.senderNumber, phone)).toBeUndefined();
    });

    it('lifts the block when the contact texts START to that sender', async () => {
      // prepare
      const agent = await fx.newAgent({ messagingServiceSid: MG });
      const phone = randomPhone();
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'STOP', 'STOP'));
      later();

      // act
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'start', 'START'));

      // assess
      expect(await fx.deps.stores.twilioBlocks.get(MG, phone)).toMatchObject({ blocked: false });
      expect((await gateFor(agent, phone)).verdict).toBe('send');
    });

    it('does not block on a revocation phrase Twilio never saw as a keyword', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();

      // act
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'please stop texting me'));

      // assess
      expect(await fx.deps.stores.twilioBlocks.get(agent.senderNumber, phone)).toBeUndefined();
    });

    it('records the block of a repeated STOP even when the phone is opted out everywhere already', async () => {
      // prepare
      const agent = await fx.newAgent();
      const phone = randomPhone();
      await receiveInboundSms(fx.deps, textTo(agent, phone, 'please stop texting me'));
      later();

      // act
      const outcome = await receiveInboundSms(fx.deps, textTo(agent, phone, 'stop'));

      // assess
      expect(outcome).toMatchObject({ kind: 'already_opted_out', reply: { by: 'twilio' } });
      expect(await fx.deps.stores.twilioBlocks.get(agent.senderNumber, phone)).toMatchObject({
        blocked: true,
      });
    });
  });
});
